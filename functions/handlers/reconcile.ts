import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { type ReconcilePassDeps, type ReconcileRun, reconcilePass } from '../use-cases/reconcile-pass.ts';
import type { FireScheduledOutcome } from '../use-cases/schedule-send.ts';
import { reconcileLambdaApp } from '../wiring/lambda-reconcile.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/**
 * The EventBridge Scheduler payloads: the reconcile schedule's `{ scheduledTime }` every 5 minutes
 * (infra/constructs/tidings-schedules.ts), or one scheduled send's one-time schedule, `{ fireScheduled }`
 * (adapters/aws/scheduler-send-timer.ts).
 */
const eventSchema = z.union([
  z.object({ fireScheduled: z.string().min(1) }),
  z.object({ scheduledTime: z.string().optional() }),
]);

/** What the function needs of the App: the pass, and firing one scheduled send. */
export type ReconcileHandlerDeps = ReconcilePassDeps & {
  readonly scheduled?: NonNullable<ReconcilePassDeps['scheduled']> & {
    fire(id: string): Promise<FireScheduledOutcome>;
  };
};

/** A scheduled send's wake-up answers what it did; the 5-minute schedule, the pass's counts. */
export interface ReconcileHandler {
  (event: { readonly fireScheduled: string }, context?: Context): Promise<FireScheduledOutcome>;
  (event: unknown, context?: Context): Promise<ReconcileRun>;
}

/**
 * The reconcile function: on its schedule, one reconcile pass (use-cases/reconcile-pass.ts), logged; woken
 * by a scheduled send's own schedule, that send (exactly once: a second wake-up finds it done).
 */
export function makeReconcileHandler(
  app: () => Promise<ReconcileHandlerDeps>,
  { logger }: Observability,
): ReconcileHandler {
  const handle = async (event: unknown): Promise<ReconcileRun | FireScheduledOutcome> => {
    const parsed = eventSchema.parse(event);
    if ('fireScheduled' in parsed) {
      const { scheduled } = await app();
      if (!scheduled) throw new Error('this app fires no scheduled sends');
      const fired = await scheduled.fire(parsed.fireScheduled);
      if ('error' in fired) {
        // Thrown, so Scheduler retries it; the reconcile pass tries again too.
        logger.error('scheduled send failed', { event: 'schedule.failed', id: fired.id, error: fired.error });
        throw new Error(`scheduled send ${fired.id} failed: ${fired.error}`);
      }
      if ('skipped' in fired)
        logger.info('scheduled send: nothing to do', { event: 'schedule.skipped', ...fired });
      else logger.info('scheduled send published', { event: 'schedule.fired', id: fired.id, at: fired.at });
      return fired;
    }
    const run = await reconcilePass(await app(), (level, message, data) => logger[level](message, data));
    logger.info('reconciliation done', { event: 'reconcile.done', ...run });
    return run;
  };
  return handle as ReconcileHandler;
}

// Resending builds the message, so this function holds the signing key like the send function; stalled
// planning goes to the plan function.
export const handler = makeReconcileHandler(reconcileLambdaApp, lambdaObservability());
