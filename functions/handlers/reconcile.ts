import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { EditionStatusView } from '../use-cases/edition-status.ts';
import type { ReconcileResult } from '../use-cases/reconcile-claims.ts';
import type { FiredSend } from '../use-cases/schedule-send.ts';
import { reconcileLambdaApp } from '../wiring/lambda-reconcile.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** The EventBridge Scheduler payload of the reconcile schedule (see infra/stacks/stateless-stack.ts). */
const eventSchema = z.object({ scheduledTime: z.string().optional() });

/** How many of each list's newest editions are looked at: older ones are complete or past saving by now. */
export const RECONCILE_EDITIONS_PER_LIST = 20;

export interface ReconcileRun {
  /** The editions that were not complete, each reconciled. */
  readonly editions: number;
  readonly confirmed: number;
  readonly resent: number;
  readonly failed: number;
  readonly skipped: number;
  readonly pending: number;
  /** Editions whose counters were recounted from their settled ledger. */
  readonly recounted: number;
  /** Editions whose planning had stalled and was started again (resume-planning.ts). */
  readonly planningResumed: number;
  /** Scheduled sends whose time had come, published now (publish --at, front matter sendAt). */
  readonly scheduledSent: number;
}

/**
 * The reconcile function: on its schedule, reconciles the stale claims of every recent edition that is not
 * complete — marked sent from a recorded SES Send event, or resent once (docs/delivery.md) — recounts the
 * settled ones, and starts again the planning of editions whose planner stopped before it was done.
 */
export function makeReconcileHandler(
  app: () => Promise<{
    recent(perList?: number): Promise<EditionStatusView[]>;
    reconcile(editionId: string): Promise<ReconcileResult>;
    resumeStalledPlanning(editions: readonly EditionStatusView[]): Promise<string[]>;
    readonly scheduled?: { fireDue(): Promise<readonly FiredSend[]> };
  }>,
  { logger }: Observability,
): (event: unknown, context?: Context) => Promise<ReconcileRun> {
  return async (event) => {
    eventSchema.parse(event);
    const tidings = await app();
    const open = (await tidings.recent(RECONCILE_EDITIONS_PER_LIST)).filter((e) => !e.complete);
    const run = {
      editions: open.length,
      confirmed: 0,
      resent: 0,
      failed: 0,
      skipped: 0,
      pending: 0,
      recounted: 0,
      planningResumed: 0,
      scheduledSent: 0,
    };
    // Sends whose time has come go first: they start editions this run then looks after next time.
    for (const fired of (await tidings.scheduled?.fireDue()) ?? []) {
      if ('error' in fired) {
        logger.error('scheduled send failed; retried next run', {
          event: 'schedule.failed',
          id: fired.id,
          error: fired.error,
        });
        continue;
      }
      run.scheduledSent += 1;
      logger.info('scheduled send published', { event: 'schedule.fired', id: fired.id, at: fired.at });
    }
    for (const edition of open) {
      const { editionId, ...counts } = await tidings.reconcile(edition.id);
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) run[key] += counts[key];
      if (Object.values(counts).some((n) => n > 0))
        logger.info('stale claims reconciled', { event: 'reconcile.edition', editionId, ...counts });
    }
    const resumed = await tidings.resumeStalledPlanning(open);
    run.planningResumed = resumed.length;
    if (resumed.length > 0)
      logger.warn('stalled planning started again', { event: 'reconcile.plan', resumed });
    logger.info('reconciliation done', { event: 'reconcile.done', ...run });
    return run;
  };
}

// Resending builds the message, so this function holds the signing key like the send function; stalled
// planning goes to the plan function.
export const handler = makeReconcileHandler(reconcileLambdaApp, lambdaObservability());
