import { isEditionComplete } from '../core/editions/progress.ts';
import type { Delivery } from '../ports/delivery-ledger.ts';
import { completeIfDone } from './send-batch/tally.ts';
import type { SendBatchDeps } from './send-batch/types.ts';

/**
 * How long after the newest result in the ledger its counters are trusted to have been added: longer than
 * any send or reconcile invocation runs (2 and 5 minutes), so no live process is still about to add.
 */
export const COUNTER_SETTLE_MS = 10 * 60_000;

/**
 * The ledger is the record of what happened; an edition's counters are running sums that each sender
 * adds after its batch. A sender that dies between its ledger writes and that ADD leaves the counters
 * short, and the edition would never show complete. This recounts an edition from its ledger when
 * (1) its planning is done, (2) its counters say it is not complete, (3) every recipient the planner
 * enqueued has a result in the ledger (none claimed, none missing) and (4) the newest result is older than
 * `settleMs`. Then it sets the counters to the recount, plus the recipients the planner itself left out
 * (suppressed at plan time: counted in `planned` and `skipped`, never in the ledger), and completes the
 * edition. Returns whether it did.
 * It pages the whole edition (1,000 deliveries a query), which happens only for an edition in that state.
 */
export async function settleCounters(
  deps: Pick<SendBatchDeps, 'editions' | 'ledger' | 'clock'>,
  editionId: string,
  options: { readonly settleMs?: number } = {},
): Promise<boolean> {
  const record = await deps.editions.get(editionId);
  if (!record || record.edition.status === 'completed' || !record.checkpoint?.done) return false;
  if (isEditionComplete(record.counters, true)) return false;
  const recount: Recount = { sent: 0, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} };
  let newest = '';
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.listByEdition(editionId, cursor, 1000);
    for (const d of page.items) {
      if (d.status === 'claimed') return false; // still in flight, or for the stale-claim reconciler
      count(recount, d);
      const at = d.sentAt ?? d.finishedAt ?? d.claimedAt;
      if (at > newest) newest = at;
    }
    cursor = page.cursor;
  } while (cursor);
  // Every enqueued recipient has a result. The planner left some out itself (suppressed at plan time):
  // they are in `planned` and `skipped` but have no delivery in the ledger, so they are added back.
  const enqueued = record.checkpoint.recipientsEnqueued;
  if (recount.sent + recount.failed + recount.skipped < enqueued) return false;
  const settleMs = options.settleMs ?? COUNTER_SETTLE_MS;
  if (newest && Date.parse(newest) > deps.clock.now().getTime() - settleMs) return false;
  const excludedAtPlan = Math.max(0, record.counters.planned - enqueued);
  if (excludedAtPlan > 0) {
    recount.skipped += excludedAtPlan;
    recount.skippedReasons.suppressed = (recount.skippedReasons.suppressed ?? 0) + excludedAtPlan;
  }
  await deps.editions.setOutcomeCounters(editionId, recount);
  await completeIfDone(deps, editionId);
  return true;
}

/** The outcome counters as counted from the ledger (what setOutcomeCounters takes). */
interface Recount {
  sent: number;
  failed: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  failedReasons: Record<string, number>;
}

function count(into: Recount, d: Delivery): void {
  if (d.status === 'sent') into.sent++;
  else if (d.status === 'failed') {
    into.failed++;
    const reason = d.reason ?? 'unknown';
    into.failedReasons[reason] = (into.failedReasons[reason] ?? 0) + 1;
  } else if (d.status === 'skipped') {
    into.skipped++;
    const reason = d.reason ?? 'unknown';
    into.skippedReasons[reason] = (into.skippedReasons[reason] ?? 0) + 1;
  }
}

/**
 * Sets an edition's outcome counters to what its ledger holds now, whatever is still to come, for a
 * caller that knows no sender is live: `tidings dev` on start, before its runner, after a run that was
 * killed with the sums of its last batches unadded (local/recover.ts). The senders that follow add their
 * own on top. Only once planning is done (the planner adds its exclusions as it goes); claims in flight
 * count nothing. Completes the edition when that is all of it. Returns whether it recounted.
 */
export async function recountFromLedger(
  deps: Pick<SendBatchDeps, 'editions' | 'ledger' | 'clock'>,
  editionId: string,
): Promise<boolean> {
  const record = await deps.editions.get(editionId);
  if (!record || record.edition.status === 'completed' || !record.checkpoint?.done) return false;
  const recount: Recount = { sent: 0, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} };
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.listByEdition(editionId, cursor, 1000);
    for (const d of page.items) count(recount, d);
    cursor = page.cursor;
  } while (cursor);
  const excludedAtPlan = Math.max(0, record.counters.planned - record.checkpoint.recipientsEnqueued);
  if (excludedAtPlan > 0) {
    recount.skipped += excludedAtPlan;
    recount.skippedReasons.suppressed = (recount.skippedReasons.suppressed ?? 0) + excludedAtPlan;
  }
  await deps.editions.setOutcomeCounters(editionId, recount);
  await completeIfDone(deps, editionId);
  return true;
}
