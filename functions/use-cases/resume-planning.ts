import type { Clock } from '../ports/clock.ts';
import type { EditionStatusView } from './edition-status.ts';

/**
 * How long an edition's planning may stand still before the reconciler starts it again. Longer than a plan
 * run (the plan function's timeout is 5 minutes), so a live planner is never doubled; when two do meet,
 * the checkpoint's conditional advance lets only one of them enqueue each page.
 */
export const PLANNING_STALL_MS = 15 * 60_000;

/**
 * Starts the planning again of every edition whose planner stopped before it was done: a publish whose
 * handoff to the plan function failed for good, or a plan function that failed its retries. Planning
 * resumes at the edition's checkpoint, so nobody is planned twice. Returns the ids it started.
 */
export async function resumeStalledPlanning(
  deps: { readonly clock: Clock; readonly startPlan: (editionId: string) => Promise<unknown> },
  editions: readonly EditionStatusView[],
  options: { readonly stallMs?: number } = {},
): Promise<string[]> {
  const before = deps.clock.now().getTime() - (options.stallMs ?? PLANNING_STALL_MS);
  const stalled = editions.filter(
    (e) => !e.planningDone && e.status !== 'completed' && Date.parse(e.planningUpdatedAt) <= before,
  );
  for (const e of stalled) await deps.startPlan(e.id);
  return stalled.map((e) => e.id);
}
