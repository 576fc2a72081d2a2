import { GetSendQuotaCommand, type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { InvalidInputError } from '../../core/errors.ts';
import { type RawMessage, toRawBytes } from '../../core/mime/build-message.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../ports/errors.ts';
import type { MailTransport, SendQuota, SendRawOptions } from '../../ports/mail-transport.ts';

const TAG = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Sends finished MIME through SES v1 `SendRawEmail`, one recipient per call (so each message can
 * carry its own List-Unsubscribe), with the configuration set and message tags that come back on
 * every SES event. SDK errors become the ports' errors:
 * - `Throttling` / "Maximum sending rate exceeded" → ThrottlingError (back off, retry later);
 * - `MessageRejected`, and `InvalidParameterValue` about an address → PermanentRecipientError;
 * - anything else (network, 5xx, paused account) → TransientSendError.
 * The client should make one attempt (see clients.ts): retrying a timed-out call may send twice.
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
      throw mapSesError(e, opts.to);
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

/** Turns an SES SDK error into ThrottlingError, PermanentRecipientError or TransientSendError. */
export function mapSesError(error: unknown, to: string): Error {
  if (
    error instanceof ThrottlingError ||
    error instanceof PermanentRecipientError ||
    error instanceof TransientSendError ||
    error instanceof SendRefusedError ||
    error instanceof InvalidInputError
  ) {
    return error;
  }
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e?.name ?? e?.Code ?? 'Error';
  const message = e?.message ?? String(error);
  if (
    code === 'Throttling' ||
    code === 'ThrottlingException' ||
    /maximum sending rate exceeded/i.test(message)
  ) {
    return new ThrottlingError(`SES throttled the send to ${to}: ${message}`, { cause: error });
  }
  if (code === 'MessageRejected') {
    return new PermanentRecipientError('message-rejected', `SES rejected the message to ${to}: ${message}`, {
      cause: error,
    });
  }
  if (code === 'InvalidParameterValue' && /address|recipient|destination|mailbox/i.test(message)) {
    return new PermanentRecipientError('invalid-address', `SES refused the address ${to}: ${message}`, {
      cause: error,
    });
  }
  if (REFUSAL_CODES.has(code)) {
    return new SendRefusedError(`SES refused to send (${code}): ${message}`, { cause: error });
  }
  return new TransientSendError(`sending to ${to} failed (${code}): ${message}`, { cause: error });
}

/** SES answers that mean "not accepted, and not about this recipient": configuration or account problems. */
const REFUSAL_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AccountSendingPausedException',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetSendingPausedException',
  'MailFromDomainNotVerifiedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidParameterValue',
  'ValidationError',
]);
