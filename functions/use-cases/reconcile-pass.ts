import type { EditionStatusView } from './edition-status.ts';
import type { ReconcileResult } from './reconcile-claims.ts';
import type { FiredSend } from './schedule-send.ts';

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

/** What one pass uses of the App. */
export interface ReconcilePassDeps {
  recent(perList?: number): Promise<EditionStatusView[]>;
  reconcile(editionId: string): Promise<ReconcileResult>;
  resumeStalledPlanning(editions: readonly EditionStatusView[]): Promise<string[]>;
  readonly scheduled?: { fireDue(): Promise<readonly FiredSend[]> };
}

type Log = (level: 'info' | 'warn' | 'error', message: string, data: Record<string, unknown>) => void;

/**
 * One reconcile pass, as the deployed schedule runs it every 5 minutes and `tidings dev` on a timer:
 * publishes the scheduled sends whose time has come, reconciles the stale claims of every recent edition
 * that is not complete (marked sent from a recorded SES Send event, or resent once; docs/delivery.md),
 * recounts the settled ones, and starts again the planning of editions whose planner stopped.
 */
export async function reconcilePass(deps: ReconcilePassDeps, log: Log): Promise<ReconcileRun> {
  const open = (await deps.recent(RECONCILE_EDITIONS_PER_LIST)).filter((e) => !e.complete);
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
  // Sends whose time has come go first: they start editions the next pass looks after.
  for (const fired of (await deps.scheduled?.fireDue()) ?? []) {
    if ('error' in fired) {
      log('error', 'scheduled send failed; retried next run', {
        event: 'schedule.failed',
        id: fired.id,
        error: fired.error,
      });
      continue;
    }
    run.scheduledSent += 1;
    log('info', 'scheduled send published', { event: 'schedule.fired', id: fired.id, at: fired.at });
  }
  for (const edition of open) {
    const { editionId, ...counts } = await deps.reconcile(edition.id);
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) run[key] += counts[key];
    if (Object.values(counts).some((n) => n > 0))
      log('info', 'stale claims reconciled', { event: 'reconcile.edition', editionId, ...counts });
  }
  const resumed = await deps.resumeStalledPlanning(open);
  run.planningResumed = resumed.length;
  if (resumed.length > 0) log('warn', 'stalled planning started again', { event: 'reconcile.plan', resumed });
  return run;
}
