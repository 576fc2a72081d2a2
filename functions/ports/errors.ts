import { TidingsError } from '../core/errors.ts';

/** SES (or its emulator) refused because of the sending rate: back off with jitter and retry later. */
export class ThrottlingError extends TidingsError {
  override readonly name = 'ThrottlingError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('SES_THROTTLED', message, options);
  }
}

/** This one address will never work (MessageRejected, a malformed address): mark it failed, go on. */
export class PermanentRecipientError extends TidingsError {
  override readonly name = 'PermanentRecipientError';
  /** Stable reason code for the ledger, e.g. 'message-rejected', 'invalid-address'. */
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super('SES_RECIPIENT_REJECTED', message, options);
    this.reason = reason;
  }
}

/**
 * The outcome of a send is unknown (a timeout, a reset connection, a 5xx): SES may have accepted the
 * message. The sender must not send it again on its own; the claim stays and reconciliation settles it
 * from SES's Send events.
 */
export class TransientSendError extends TidingsError {
  override readonly name = 'TransientSendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('SES_TRANSIENT', message, options);
  }
}

/**
 * SES refused the call itself (credentials, a missing configuration set, an unverified identity or MAIL
 * FROM domain, a paused account): nothing was accepted, and retrying soon will not help. The batch sender
 * pauses the edition (its error budget: use-cases/send-batch.ts) and marks no reader failed.
 */
export class SendRefusedError extends TidingsError {
  override readonly name = 'SendRefusedError';
  /**
   * Stable code for the edition's pause: 'identity-not-verified' (the From address or domain),
   * 'account-paused', 'configuration-set-missing', or 'refused' (credentials, permissions, anything else).
   */
  readonly reason: string;
  constructor(message: string, options?: { cause?: unknown; reason?: string }) {
    super('SES_REFUSED', message, options);
    this.reason = options?.reason ?? 'refused';
  }
}

/** Some send batches could not be put on the queue, even after retries. */
export class QueueSendError extends TidingsError {
  override readonly name = 'QueueSendError';
  /** batchNo of each batch that is NOT on the queue. */
  readonly failedBatches: readonly number[];
  constructor(failedBatches: readonly number[], message: string, options?: { cause?: unknown }) {
    super('QUEUE_SEND_FAILED', message, options);
    this.failedBatches = failedBatches;
  }
}

/** A storage call failed (not a missing item: that is `undefined` or NotFoundError). */
export class StoreError extends TidingsError {
  override readonly name = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', message, options);
  }
}
