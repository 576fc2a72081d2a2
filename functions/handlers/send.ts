import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { sendDeadline } from '../core/pacing/deadline.ts';
import type { SendBatchMessage } from '../ports/send-queue.ts';
import type { SendBatchOptions, SendBatchResult } from '../use-cases/send-batch.ts';
import { lambdaApp } from '../wiring/lambda.ts';
import { lambdaObservability, type Observability } from './observability.ts';
import { reportBatch } from './send-report.ts';

// zod/mini, not the classic API: the same checks, ~12 KB instead of ~440 KB in the send bundle (its
// classic namespace pulls every locale in), which keeps the send function inside its 500 KB budget.
const messageSchema = z.object({
  editionId: z.string().check(z.minLength(1)),
  listId: z.string().check(z.minLength(1)),
  batchNo: z.int().check(z.minimum(0)),
  recipients: z
    .array(
      z.object({ subscriberId: z.string().check(z.minLength(1)), email: z.string().check(z.minLength(3)) }),
    )
    .check(z.minLength(1), z.maxLength(50)),
});

/**
 * The send function: an SQS consumer. Each record is one batch of ≤ 50 recipients; a record whose
 * batch throws is reported as a batch item failure (SQS redelivers only that record, and the ledger
 * makes the deliveries already done skip).
 */
export function makeSendHandler(
  app: () => Promise<{
    sendBatch(message: SendBatchMessage, options?: SendBatchOptions): Promise<SendBatchResult>;
  }>,
  observability: Observability,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const { metrics } = observability;
  return async (event, context) => {
    const { sendBatch } = await app();
    const processor = new BatchProcessor(EventType.SQS);
    // Each record stops claiming in time for the invocation to finish before its timeout.
    const deadline = sendDeadline(Date.now(), context.getRemainingTimeInMillis());
    const record = async (r: SQSRecord) => {
      const message = messageSchema.parse(JSON.parse(r.body)) as SendBatchMessage;
      const result = await sendBatch(message, { deadline });
      reportBatch(observability, message, result);
    };
    try {
      return await processPartialResponse(event, record, processor, { context });
    } finally {
      metrics?.publishStoredMetrics();
    }
  };
}

export const handler = makeSendHandler(
  () => lambdaApp({ needsKeyRing: true, sendsEditions: true, enqueues: true, paceToSesQuota: true }),
  lambdaObservability(),
);
