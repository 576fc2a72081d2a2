import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { PlanResult } from '../use-cases/plan-edition.ts';
import { planningLambdaApp } from '../wiring/lambda-planning.ts';
import { lambdaObservability, type Observability } from './observability.ts';

const eventSchema = z.object({ editionId: z.string().min(1) });

/** The plan function: `{ editionId }` (an async invoke) → render once and fan out; resumes at its checkpoint. */
export function makePlanHandler(
  app: () => Promise<{ plan(editionId: string): Promise<PlanResult> }>,
  { logger }: Observability,
): (event: unknown, context?: Context) => Promise<PlanResult> {
  return async (event) => {
    const { editionId } = eventSchema.parse(event);
    const result = await (await app()).plan(editionId);
    logger.info('edition planned', { event: 'plan.done', ...result });
    return result;
  };
}

export const handler = makePlanHandler(planningLambdaApp, lambdaObservability());
