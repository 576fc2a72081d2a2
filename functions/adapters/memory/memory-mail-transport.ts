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
/** What SES itself refuses as an envelope address: no @, no dot in the domain, spaces. */
const LOOSE_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** One message the transport accepted. */
export interface AcceptedMessage {
  readonly messageId: string;
  /** The MIME exactly as given (a copy). */
  readonly raw: Uint8Array;
  readonly from: string;
  readonly to: string;
  readonly configurationSet?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** How SES answers a send to one address, as a test chooses it. */
export type Refusal = 'message-rejected' | 'invalid-address' | 'throttled' | 'transient' | 'refused';

/**
 * A mail transport that keeps every message it accepts, with a generated message id. It checks what
 * SES checks (message tags before the call, then a malformed envelope address) and throws the ports'
 * errors the SES transports throw, and a test can make it refuse chosen addresses (refuse()).
 */
export class MemoryMailTransport implements MailTransport {
  readonly #sent: AcceptedMessage[] = [];
  readonly #refusals = new Map<string, Refusal>();
  readonly #quota: { readonly maxSendRate: number; readonly max24HourSend: number };
  #next = 0;

  constructor(
    options: { readonly quota?: { readonly maxSendRate: number; readonly max24HourSend: number } } = {},
  ) {
    // The SES emulator's defaults, so a local run sees the same quota either way.
    this.#quota = options.quota ?? { maxSendRate: 200, max24HourSend: 1_000_000 };
  }

  async sendRaw(raw: RawMessage, opts: SendRawOptions): Promise<{ messageId: string }> {
    for (const [name, value] of Object.entries(opts.tags)) {
      if (!TAG.test(name) || !TAG.test(value)) {
        throw new InvalidInputError(
          'SES_BAD_TAG',
          `message tag ${name}=${value}: SES allows only letters, digits, _ and - (max 256)`,
        );
      }
    }
    const refusal = LOOSE_ADDRESS.test(opts.to) ? this.#refusals.get(opts.to) : 'invalid-address';
    if (refusal) throw refusalError(refusal, opts.to);
    this.#next++;
    const messageId = `memory-${String(this.#next).padStart(6, '0')}`;
    this.#sent.push({
      messageId,
      raw: Uint8Array.from(toRawBytes(raw)),
      from: opts.from,
      to: opts.to,
      ...(opts.configurationSet ? { configurationSet: opts.configurationSet } : {}),
      tags: { ...opts.tags },
    });
    return { messageId };
  }

  async getQuota(): Promise<SendQuota> {
    return { ...this.#quota, sentLast24Hours: this.#sent.length };
  }

  /** Every accepted message, oldest first (copies). */
  sent(): AcceptedMessage[] {
    return this.#sent.map((m) => ({ ...m, raw: Uint8Array.from(m.raw), tags: { ...m.tags } }));
  }

  /** From now on, sends to `address` fail this way; `undefined` lets them through again. */
  refuse(address: string, refusal: Refusal | undefined): void {
    if (refusal) this.#refusals.set(address, refusal);
    else this.#refusals.delete(address);
  }
}

/** The errors SES's answers map to (see mapSesError in the SES adapters). */
function refusalError(refusal: Refusal, to: string): Error {
  switch (refusal) {
    case 'message-rejected':
      return new PermanentRecipientError('message-rejected', `SES rejected the message to ${to}`);
    case 'invalid-address':
      return new PermanentRecipientError('invalid-address', `SES refused the address ${to}`);
    case 'throttled':
      return new ThrottlingError(`SES throttled the send to ${to}: Maximum sending rate exceeded.`);
    case 'transient':
      return new TransientSendError(`sending to ${to} failed (ServiceUnavailable)`);
    case 'refused':
      return new SendRefusedError('SES refused to send (AccountSendingPausedException)', {
        reason: 'account-paused',
      });
  }
}
