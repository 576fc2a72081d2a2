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

/** A send failed in a way worth retrying (network, 5xx, unknown). */
export class TransientSendError extends TidingsError {
  override readonly name = 'TransientSendError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('SES_TRANSIENT', message, options);
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
