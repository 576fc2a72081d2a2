import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { WaveRelease } from '../core/schedule/model.ts';
import type { PlanResult } from '../use-cases/plan-edition.ts';
import { planningLambdaApp } from '../wiring/lambda-planning.ts';
import { lambdaObservability, type Observability } from './observability.ts';

const waveSchema = z.object({
  id: z.string().min(1),
  editionId: z.string().min(1),
  listId: z.string().min(1),
  firstBatch: z.number().int().min(0),
  batches: z.number().int().min(0),
  readers: z.number().int().min(0),
  zones: z.array(z.string()),
});
const eventSchema = z.object({ editionId: z.string().min(1), wave: waveSchema.optional() });

/** What the plan function answers: the plan, or how many readers a released wave put on the queue. */
export type PlanHandlerResult =
  | PlanResult
  | { readonly editionId: string; readonly wave: string; readonly released: number };

/**
 * The plan function: `{ editionId }` (an async invoke) → render once and fan out; resumes at its
 * checkpoint. `{ editionId, wave }` (a time-zone wave's timer, through the reconcile function) → that
 * wave's held readers go on the send queue.
 */
export function makePlanHandler(
  app: () => Promise<{
    plan(editionId: string): Promise<PlanResult>;
    releaseWave?(wave: WaveRelease): Promise<number>;
  }>,
  { logger }: Observability,
): (event: unknown, context?: Context) => Promise<PlanHandlerResult> {
  return async (event) => {
    const { editionId, wave } = eventSchema.parse(event);
    const ready = await app();
    if (wave) {
      if (!ready.releaseWave) throw new Error('this app releases no waves');
      const released = await ready.releaseWave(wave);
      logger.info('wave released', { event: 'plan.wave', editionId, wave: wave.id, released });
      return { editionId, wave: wave.id, released };
    }
    const result = await ready.plan(editionId);
    logger.info('edition planned', { event: 'plan.done', ...result });
    return result;
  };
}

export const handler = makePlanHandler(planningLambdaApp, lambdaObservability());
