/** One recipient of a send batch. */
export interface SendRecipient {
  readonly subscriberId: string;
  readonly email: string;
}

/** The body of one send-queue message: up to 50 recipients of one edition. */
export interface SendBatchMessage {
  readonly editionId: string;
  readonly listId: string;
  /** 0-based, unique within the edition (deduplication id and checkpoint). */
  readonly batchNo: number;
  /** At most 50. */
  readonly recipients: readonly SendRecipient[];
}

/** The most recipients one SendBatchMessage may carry. */
export const MAX_RECIPIENTS_PER_BATCH = 50;

/** How batches are put on the queue. */
export interface EnqueueOptions {
  /** Seconds before the batches become visible to the senders (SQS allows 0 to 900). @default 0 */
  readonly delaySeconds?: number;
}

export interface SendQueue {
  /**
   * Puts every batch on the queue, or throws QueueSendError naming the ones that did not make it
   * (after retrying them). Resolves only when all are on the queue: never drops silently.
   */
  enqueue(batches: readonly SendBatchMessage[], options?: EnqueueOptions): Promise<void>;
}
