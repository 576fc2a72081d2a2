import { type Clock, systemClock } from '../../ports/clock.ts';
import { QueueSendError } from '../../ports/errors.ts';
import {
  type EnqueueOptions,
  MAX_RECIPIENTS_PER_BATCH,
  type SendBatchMessage,
  type SendQueue,
} from '../../ports/send-queue.ts';

/** One message handed out by receive(), as SQS's ReceiveMessage gives it. */
export interface ReceivedBatch {
  readonly messageId: string;
  /** Pass to delete() once the batch is handled, or to release() to hand it out again. */
  readonly receiptHandle: string;
  readonly body: SendBatchMessage;
  /** How many times it was handed out, this time included (SQS's ApproximateReceiveCount). */
  readonly receiveCount: number;
}

interface Queued {
  readonly messageId: string;
  /** The body as SQS would carry it: JSON text, so a receiver gets its own copy. */
  readonly body: string;
  /** Epoch milliseconds from which it may be handed out (delaySeconds). */
  visibleAt: number;
  receiveCount: number;
  /** Set while handed out and not yet deleted or released. */
  receiptHandle?: string;
}

/**
 * The send queue in memory, for a local runner and tests. enqueue() checks and delays batches as
 * SqsSendQueue does (1 to 50 recipients, delaySeconds clamped to SQS's 0–900) and never drops one.
 * receive() hands out visible messages oldest first, each once until it is deleted (done) or
 * released (failed: it goes back on the queue). No visibility timeout: a receiver releases or deletes.
 */
export class MemorySendQueue implements SendQueue {
  readonly #clock: Clock;
  readonly #messages: Queued[] = [];
  #next = 0;

  constructor(options: { readonly clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  async enqueue(batches: readonly SendBatchMessage[], options: EnqueueOptions = {}): Promise<void> {
    const delay = options.delaySeconds ? Math.min(900, Math.max(0, Math.round(options.delaySeconds))) : 0;
    for (const b of batches) {
      if (b.recipients.length === 0 || b.recipients.length > MAX_RECIPIENTS_PER_BATCH) {
        throw new QueueSendError(
          [b.batchNo],
          `edition ${b.editionId} batch ${b.batchNo}: ${b.recipients.length} recipients; a batch holds 1 to ${MAX_RECIPIENTS_PER_BATCH}`,
        );
      }
    }
    const visibleAt = this.#clock.now().getTime() + delay * 1000;
    for (const b of batches) {
      this.#next++;
      this.#messages.push({
        messageId: `memory-${this.#next}`,
        body: JSON.stringify(b),
        visibleAt,
        receiveCount: 0,
      });
    }
  }

  /** Up to `max` visible messages (SQS's MaxNumberOfMessages, 10 at most there), oldest first. */
  receive(max = 10): ReceivedBatch[] {
    const now = this.#clock.now().getTime();
    const out: ReceivedBatch[] = [];
    for (const m of this.#messages) {
      if (out.length >= max) break;
      if (m.receiptHandle !== undefined || m.visibleAt > now) continue;
      m.receiveCount++;
      m.receiptHandle = `${m.messageId}#${m.receiveCount}`;
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: JSON.parse(m.body) as SendBatchMessage,
        receiveCount: m.receiveCount,
      });
    }
    return out;
  }

  /** Removes a handled message. A handle that is not current (already deleted) is ignored, as in SQS. */
  delete(receiptHandle: string): void {
    const i = this.#messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i >= 0) this.#messages.splice(i, 1);
  }

  /** Puts a received message back, visible at once (SQS's ChangeMessageVisibility to 0). */
  release(receiptHandle: string): void {
    const m = this.#messages.find((x) => x.receiptHandle === receiptHandle);
    if (m) delete m.receiptHandle;
  }

  /** Messages on the queue, handed out or not. */
  get size(): number {
    return this.#messages.length;
  }
}
