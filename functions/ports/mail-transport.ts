import type { RawMessage } from '../core/mime/build-message.ts';

export interface SendRawOptions {
  /** Envelope sender (bare address). */
  readonly from: string;
  /** Envelope recipient (bare address); one per call. */
  readonly to: string;
  readonly configurationSet?: string;
  /** SES message tags: names and values of ASCII letters, digits, `_` and `-`, ≤ 256 chars (the adapter checks). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface SendQuota {
  /** Messages per second. */
  readonly maxSendRate: number;
  readonly max24HourSend: number;
  readonly sentLast24Hours: number;
}

/**
 * Sends one finished MIME message. Errors are the ports' own classes (see errors.ts):
 * ThrottlingError (back off, retry later), PermanentRecipientError (this address will never work),
 * TransientSendError (anything else worth a retry).
 */
export interface MailTransport {
  /** `raw` is the message's bytes, or its 7-bit text as buildMessage returns it (one char per byte). */
  sendRaw(raw: RawMessage, opts: SendRawOptions): Promise<{ readonly messageId: string }>;
  getQuota(): Promise<SendQuota>;
}
