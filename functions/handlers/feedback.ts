import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type SesEvent, sesEventsFrom } from '../core/feedback/ses-event.ts';
import { LIST_DIMENSION, MetricName } from '../core/metrics-names.ts';
import type { FeedbackSummary } from '../use-cases/record-feedback.ts';
import { lambdaApp } from '../wiring/lambda.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/**
 * The feedback function: SES events from SNS (`Records[].Sns.Message`) or EventBridge (`detail`,
 * source `aws.ses`) → record-feedback; then per-list metrics (Bounced, Complained, Delivered,
 * SendingPaused) and one log line per suppression and pause.
 */
export function makeFeedbackHandler(
  app: () => Promise<{ recordFeedback(events: readonly SesEvent[]): Promise<FeedbackSummary> }>,
  { logger, metrics }: Observability,
): (event: unknown) => Promise<FeedbackSummary> {
  return async (event) => {
    const summary = await (await app()).recordFeedback(sesEventsFrom(event));
    for (const s of summary.suppressed)
      logger.info('address suppressed', { event: 'feedback.suppressed', reason: s.reason });
    for (const p of summary.paused) logger.warn('list sending paused', { event: 'feedback.paused', ...p });
    if (metrics) {
      // One single-metric per value: each carries its own list dimension and is flushed at once.
      const emit = (listId: string, name: string, value: number) => {
        if (value === 0) return;
        const m = metrics.singleMetric();
        m.addDimension(LIST_DIMENSION, listId);
        m.addMetric(name, MetricUnit.Count, value);
      };
      for (const [listId, c] of Object.entries(summary.perList)) {
        emit(listId, MetricName.Delivered, c.delivered);
        emit(listId, MetricName.Bounced, c.bounced);
        emit(listId, MetricName.Complained, c.complained);
      }
      for (const p of summary.paused) emit(p.listId, MetricName.SendingPaused, 1);
    }
    return summary;
  };
}

export const handler = makeFeedbackHandler(() => lambdaApp(), lambdaObservability());
