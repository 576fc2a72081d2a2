import { GetSendQuotaCommand, type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mapSesError } from '../../functions/adapters/aws/map-ses-error.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import { type RawMessage, toRawBytes } from '../../functions/core/mime/build-message.ts';
import { TransientSendError } from '../../functions/ports/errors.ts';
import type { MailTransport, SendQuota, SendRawOptions } from '../../functions/ports/mail-transport.ts';

const TAG = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The reference transport: the AWS SDK's own SendRawEmailCommand, which the production transport
 * (functions/adapters/aws/ses-query-transport.ts, hand-written for speed) is checked against in the
 * adapter tests and measured against in test/bench/send.bench.ts. Not used by any function.
 *
 * Sends finished MIME through SES v1 `SendRawEmail`, one recipient per call (so each message can
 * carry its own List-Unsubscribe), with the configuration set and message tags that come back on
 * every SES event. SDK errors become the ports' errors:
 * - `Throttling` / "Maximum sending rate exceeded" → ThrottlingError (back off, retry later);
 * - `MessageRejected`, and `InvalidParameterValue` about an address → PermanentRecipientError;
 * - anything else (network, 5xx, paused account) → TransientSendError.
 * The client should make one attempt (see functions/adapters/aws/clients.ts): retrying a timed-out call may send twice.
 */
export class SesMailTransport implements MailTransport {
  readonly #ses: SESClient;

  constructor(options: { readonly ses: SESClient }) {
    this.#ses = options.ses;
  }

  async sendRaw(raw: RawMessage, opts: SendRawOptions): Promise<{ messageId: string }> {
    const tags = Object.entries(opts.tags).map(([Name, Value]) => {
      if (!TAG.test(Name) || !TAG.test(Value)) {
        throw new InvalidInputError(
          'SES_BAD_TAG',
          `message tag ${Name}=${Value}: SES allows only letters, digits, _ and - (max 256)`,
        );
      }
      return { Name, Value };
    });
    try {
      const res = await this.#ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: toRawBytes(raw) },
          Source: opts.from,
          Destinations: [opts.to],
          ...(opts.configurationSet ? { ConfigurationSetName: opts.configurationSet } : {}),
          ...(tags.length > 0 ? { Tags: tags } : {}),
        }),
      );
      if (!res.MessageId)
        throw new TransientSendError(`SES accepted mail to ${opts.to} without a message id`);
      return { messageId: res.MessageId };
    } catch (e) {
      throw mapSesError(e, opts.to, opts.from);
    }
  }

  async getQuota(): Promise<SendQuota> {
    try {
      const q = await this.#ses.send(new GetSendQuotaCommand({}));
      return {
        maxSendRate: q.MaxSendRate ?? 1,
        max24HourSend: q.Max24HourSend ?? 200,
        sentLast24Hours: q.SentLast24Hours ?? 0,
      };
    } catch (e) {
      throw mapSesError(e, 'GetSendQuota');
    }
  }
}
