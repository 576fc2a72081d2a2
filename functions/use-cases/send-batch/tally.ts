// An edition's counters as the senders add to them: each run (a batch, a reconciliation) counts its
// outcomes here and adds them in one atomic ADD at the end, then completes the edition once done.
import { isEditionComplete } from '../../core/editions/progress.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EditionStore } from '../../ports/edition-store.ts';
import type { RecipientOutcome, SendBatchDeps } from './types.ts';

/** The outcomes one run counted, by kind and reason. */
export interface Tally {
  sent: number;
  failed: number;
  skipped: number;
  readonly skippedReasons: Record<string, number>;
  readonly failedReasons: Record<string, number>;
}

export function emptyTally(): Tally {
  return { sent: 0, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} };
}

/** Counts one outcome; kinds other than sent, failed and skipped are not counters. */
export function count(tally: Tally, outcome: RecipientOutcome): void {
  if (outcome.kind === 'sent') tally.sent++;
  else if (outcome.kind === 'failed') {
    tally.failed++;
    tally.failedReasons[outcome.reason] = (tally.failedReasons[outcome.reason] ?? 0) + 1;
  } else if (outcome.kind === 'skipped') {
    tally.skipped++;
    tally.skippedReasons[outcome.reason] = (tally.skippedReasons[outcome.reason] ?? 0) + 1;
  }
}

/** Adds what the run counted to the edition's counters (one atomic ADD), then completes it if done. */
export async function addTally(
  deps: Pick<SendBatchDeps, 'editions' | 'clock'>,
  editionId: string,
  tally: Tally,
): Promise<void> {
  if (tally.sent + tally.failed + tally.skipped === 0) return;
  await deps.editions.addCounters(editionId, {
    ...(tally.sent ? { sent: tally.sent } : {}),
    ...(tally.failed ? { failed: tally.failed, failedReasons: tally.failedReasons } : {}),
    ...(tally.skipped ? { skipped: tally.skipped, skippedReasons: tally.skippedReasons } : {}),
  });
  await completeIfDone(deps, editionId);
}

/** Marks the edition completed once every planned delivery has an outcome. */
export async function completeIfDone(
  deps: { readonly editions: Pick<EditionStore, 'get' | 'markCompleted'>; readonly clock: Clock },
  editionId: string,
): Promise<void> {
  const record = await deps.editions.get(editionId);
  if (!record || record.edition.status === 'completed') return;
  if (isEditionComplete(record.counters, record.checkpoint?.done ?? false)) {
    await deps.editions.markCompleted(editionId, deps.clock.now().toISOString());
  }
}
