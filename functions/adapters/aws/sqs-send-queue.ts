import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QueueSendError } from '../../ports/errors.ts';
import {
  type EnqueueOptions,
  MAX_RECIPIENTS_PER_BATCH,
  type SendBatchMessage,
  type SendQueue,
} from '../../ports/send-queue.ts';
import { mapLimit } from './dynamo-common.ts';

const ENTRIES_PER_CALL = 10;
const MAX_ATTEMPTS = 5;

export interface SqsSendQueueOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** SendMessageBatch calls in flight. @default 4 */
  readonly concurrency?: number;
  /** Waits between retries of failed entries (tests pass () => 0). @default exponential from 50 ms */
  readonly retryDelayMs?: (attempt: number) => number;
}

/**
 * The send queue on SQS. Batches go out ten to a SendMessageBatch call; entries SQS reports in
 * `Failed` (and whole calls that throw) are retried with backoff, and what still fails after that
 * is thrown as QueueSendError naming the batch numbers: a batch is never dropped silently, so the
 * planner does not move its checkpoint past it.
 */
export class SqsSendQueue implements SendQueue {
  readonly #o: SqsSendQueueOptions;

  constructor(options: SqsSendQueueOptions) {
    this.#o = options;
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
    const groups: SendBatchMessage[][] = [];
    for (let i = 0; i < batches.length; i += ENTRIES_PER_CALL)
      groups.push(batches.slice(i, i + ENTRIES_PER_CALL));
    const failed: number[] = [];
    const reasons: string[] = [];
    await mapLimit(groups, this.#o.concurrency ?? 4, async (group) => {
      const left = await this.#sendGroup(group, delay);
      for (const { batch, reason } of left) {
        failed.push(batch.batchNo);
        reasons.push(reason);
      }
    });
    if (failed.length > 0) {
      throw new QueueSendError(
        failed.sort((a, b) => a - b),
        `${failed.length} send batch(es) could not be queued (${[...new Set(reasons)].join('; ')}); the planner will retry them from its checkpoint`,
      );
    }
  }

  /** Sends up to ten, retrying failures; returns what never made it. */
  async #sendGroup(
    group: SendBatchMessage[],
    delay: number,
  ): Promise<{ batch: SendBatchMessage; reason: string }[]> {
    let pending = group.map((batch, i) => ({ batch, id: `b${i}`, reason: '' }));
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(this.#o.retryDelayMs?.(attempt) ?? 50 * 2 ** attempt);
      const entries: SendMessageBatchRequestEntry[] = pending.map((p) => ({
        Id: p.id,
        MessageBody: JSON.stringify(p.batch),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
        MessageAttributes: {
          editionId: { DataType: 'String', StringValue: p.batch.editionId },
          batchNo: { DataType: 'Number', StringValue: String(p.batch.batchNo) },
        },
      }));
      try {
        const res = await this.#o.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.#o.queueUrl, Entries: entries }),
        );
        const failedIds = new Map(
          (res.Failed ?? []).map((f) => [f.Id, `${f.Code ?? 'error'}: ${f.Message ?? ''}`]),
        );
        const okIds = new Set((res.Successful ?? []).map((s) => s.Id));
        // An entry neither successful nor failed is treated as failed: never assume it landed.
        pending = pending
          .filter((p) => !okIds.has(p.id))
          .map((p) => ({ ...p, reason: failedIds.get(p.id) ?? 'no result for entry' }));
      } catch (e) {
        const reason = (e as Error)?.name ?? 'error';
        pending = pending.map((p) => ({ ...p, reason: `${reason}: ${(e as Error)?.message ?? ''}` }));
      }
    }
    return pending.map(({ batch, reason }) => ({ batch, reason }));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
