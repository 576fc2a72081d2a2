// What the send function says about one batch it sent: the log lines and the CloudWatch metrics that the
// alarms and the dashboard read (infra/). Apart from the handler, so the handler only parses and calls.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { LIST_DIMENSION, MetricName } from '../core/metrics-names.ts';
import type { SendBatchMessage } from '../ports/send-queue.ts';
import type { SendBatchResult } from '../use-cases/send-batch.ts';
import type { Observability } from './observability.ts';

/**
 * Logs the batch's outcome, and when SES refused the sender during this batch (the error budget tripped,
 * not a batch of an edition already paused), an error with the command that resumes the edition. Adds the
 * Sent and Failed counts per list, EditionPaused when it paused, and Throttled.
 */
export function reportBatch(
  { logger, metrics }: Observability,
  message: SendBatchMessage,
  result: SendBatchResult,
): void {
  logger.info('batch sent', { event: 'send.batch', batchNo: message.batchNo, ...result });
  const refused = result.editionPaused !== undefined && !result.paused;
  if (refused) {
    logger.error('SES refused the sender: edition paused', {
      event: 'edition.paused',
      editionId: message.editionId,
      listId: message.listId,
      reason: result.editionPaused,
      resume: `tidings editions resume ${message.editionId}`,
    });
  }
  if (!metrics) return;
  // One single-metric each: Powertools publishes a single-metric at its first addMetric, so a second one
  // added to it went out without the list dimension, where the EditionPaused alarm never saw it.
  const perList = (name: string, value: number) => {
    const m = metrics.singleMetric();
    m.addDimension(LIST_DIMENSION, message.listId);
    m.addMetric(name, MetricUnit.Count, value);
  };
  perList(MetricName.Sent, result.sent);
  perList(MetricName.Failed, result.failed);
  if (refused) perList(MetricName.EditionPaused, 1);
  if (result.throttled) metrics.addMetric(MetricName.Throttled, MetricUnit.Count, result.throttled);
}
