import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { type ReconcilePassDeps, type ReconcileRun, reconcilePass } from '../use-cases/reconcile-pass.ts';
import { reconcileLambdaApp } from '../wiring/lambda-reconcile.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** The EventBridge Scheduler payload of the reconcile schedule (see infra/stacks/stateless-stack.ts). */
const eventSchema = z.object({ scheduledTime: z.string().optional() });

/** The reconcile function: on its schedule, one reconcile pass (use-cases/reconcile-pass.ts), logged. */
export function makeReconcileHandler(
  app: () => Promise<ReconcilePassDeps>,
  { logger }: Observability,
): (event: unknown, context?: Context) => Promise<ReconcileRun> {
  return async (event) => {
    eventSchema.parse(event);
    const run = await reconcilePass(await app(), (level, message, data) => logger[level](message, data));
    logger.info('reconciliation done', { event: 'reconcile.done', ...run });
    return run;
  };
}

// Resending builds the message, so this function holds the signing key like the send function; stalled
// planning goes to the plan function.
export const handler = makeReconcileHandler(reconcileLambdaApp, lambdaObservability());
