import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { DigestResult } from '../use-cases/run-digest.ts';
import { digestLambdaApp } from '../wiring/lambda-digest.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** The EventBridge Scheduler payload of a list's digest schedule. */
const eventSchema = z.object({ listId: z.string().min(1), cadence: z.enum(['daily', 'weekly']) });

/** The digest function: one scheduled run per list and cadence; plans in this process, then moves the cursor. */
export function makeDigestHandler(
  app: () => Promise<{ digest(listId: string, cadence: 'daily' | 'weekly'): Promise<DigestResult> }>,
  { logger }: Observability,
): (event: unknown, context?: Context) => Promise<{ action: string; editionId?: string; enqueued?: number }> {
  return async (event) => {
    const { listId, cadence } = eventSchema.parse(event);
    const result = await (await app()).digest(listId, cadence);
    if (result.action === 'nothing-new') {
      logger.info('no new posts for the digest', { event: 'digest.empty', listId, cadence });
      return { action: result.action };
    }
    logger.info('digest planned', {
      event: 'digest.planned',
      listId,
      cadence,
      editionId: result.editionId,
      enqueued: result.plan.enqueued,
    });
    return { action: result.action, editionId: result.editionId, enqueued: result.plan.enqueued };
  };
}

export const handler = makeDigestHandler(digestLambdaApp, lambdaObservability());
