import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { FEED_DIMENSION, MetricName } from '../core/metrics-names.ts';
import type { PollResult } from '../use-cases/poll-feeds.ts';
import { pollFeedsLambdaApp } from '../wiring/lambda-poll-feeds.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** The EventBridge Scheduler payload of a feed's schedule (see infra/stacks/stateless-stack.ts). */
const eventSchema = z.object({ feedId: z.string().min(1), scheduledTime: z.string().optional() });

/**
 * The poll-feeds function: one scheduled run per configured feed. New items are published (and planned) in
 * this process; a feed that fails `maxFailures` times in a row is paused and the FeedPaused metric fires
 * the alarm.
 */
export function makePollFeedsHandler(
  app: () => Promise<{ pollFeed(feedId: string): Promise<PollResult> }>,
  { logger, metrics }: Observability,
): (event: unknown, context?: Context) => Promise<PollResult> {
  return async (event) => {
    const { feedId } = eventSchema.parse(event);
    const result = await (await app()).pollFeed(feedId);
    switch (result.action) {
      case 'failed':
        logger.warn('feed poll failed', { event: 'poll.failed', ...result });
        if (result.paused && metrics) {
          const m = metrics.singleMetric();
          m.addDimension(FEED_DIMENSION, feedId);
          m.addMetric(MetricName.FeedPaused, MetricUnit.Count, 1);
        }
        break;
      case 'polled':
        logger.info('feed polled', {
          event: 'poll.done',
          feedId,
          items: result.items,
          changed: result.changed.map((c) => ({
            postId: c.postId,
            change: c.change,
            lists: c.lists.map((l) => l.action),
          })),
        });
        break;
      default:
        logger.info(`feed ${result.action}`, { event: `poll.${result.action}`, feedId });
    }
    return result;
  };
}

export const handler = makePollFeedsHandler(pollFeedsLambdaApp, lambdaObservability());
