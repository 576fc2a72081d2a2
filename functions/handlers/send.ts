import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { LIST_DIMENSION, MetricName } from '../core/metrics-names.ts';
import type { SendBatchMessage } from '../ports/send-queue.ts';
import type { SendBatchResult } from '../use-cases/send-batch.ts';
import { lambdaApp } from '../wiring.ts';
import { lambdaObservability, type Observability } from './observability.ts';

const messageSchema = z.object({
  editionId: z.string().min(1),
  listId: z.string().min(1),
  batchNo: z.number().int().min(0),
  recipients: z
    .array(z.object({ subscriberId: z.string().min(1), email: z.string().min(3) }))
    .min(1)
    .max(50),
});

/**
 * The send function: an SQS consumer. Each record is one batch of ≤ 50 recipients; a record whose
 * batch throws is reported as a batch item failure (SQS redelivers only that record, and the ledger
 * makes the deliveries already done skip).
 */
export function makeSendHandler(
  app: () => Promise<{ sendBatch(message: SendBatchMessage): Promise<SendBatchResult> }>,
  observability: Observability,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const { logger, metrics } = observability;
  return async (event, context) => {
    const { sendBatch } = await app();
    const processor = new BatchProcessor(EventType.SQS);
    const record = async (r: SQSRecord) => {
      const message = messageSchema.parse(JSON.parse(r.body)) as SendBatchMessage;
      const result = await sendBatch(message);
      logger.info('batch sent', { event: 'send.batch', batchNo: message.batchNo, ...result });
      if (metrics) {
        const m = metrics.singleMetric();
        m.addDimension(LIST_DIMENSION, message.listId);
        m.addMetric(MetricName.Sent, MetricUnit.Count, result.sent);
        m.addMetric(MetricName.Failed, MetricUnit.Count, result.failed);
        if (result.throttled) metrics.addMetric(MetricName.Throttled, MetricUnit.Count, result.throttled);
      }
    };
    try {
      return await processPartialResponse(event, record, processor, { context });
    } finally {
      metrics?.publishStoredMetrics();
    }
  };
}

export const handler = makeSendHandler(() => lambdaApp({ needsKeyRing: true }), lambdaObservability());
