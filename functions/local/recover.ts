// What `tidings dev` does on start with the data of an earlier run (kept under .tidings/data/): that run
// may have been stopped, or killed in the middle of an edition. Its table survived; its send queue did not
// (the SQS emulator keeps its messages in memory), and its claims have no sender any more.

import type { Clock } from '../ports/clock.ts';
import { requeueFiredWaves } from '../use-cases/plan-waves.ts';
import { RECONCILE_EDITIONS_PER_LIST } from '../use-cases/reconcile-pass.ts';
import { requeueUnsent } from '../use-cases/requeue-unsent.ts';
import { recountFromLedger } from '../use-cases/settle-counters.ts';
import type { Adapters } from '../wiring/adapters.ts';
import type { App } from '../wiring/app.ts';

export interface Recovery {
  /** Editions found not complete. */
  readonly editions: number;
  /** Claims of the dead run that SES had accepted (its record on disk names them): marked sent. */
  readonly confirmed: number;
  /** Claims of the dead run that SES never accepted: sent now. */
  readonly resent: number;
  /** Readers with no delivery yet, put back on the send queue. */
  readonly requeued: number;
  /** Editions whose planning had not finished, resumed at their checkpoint. */
  readonly planningResumed: number;
}

/**
 * Finishes, on start, the editions an earlier run left open, with the same exactly-once machinery the
 * deployed stack uses after a crash, only without waiting for the reconciliation window: this process is
 * the only sender, so every claim already in the table belongs to a process that is gone. Call it before
 * the runner starts.
 * 1. Stale claims: reconciled at once (window 0): confirmed from the SES emulator's record of what it
 *    accepted (kept on disk), else sent again under a reclaimed claim (use-cases/reconcile-claims.ts).
 *    They are found from the deliveries themselves, each written again into the stale-claim index first:
 *    the kill may have come between dynalite's index write and its item write (DeliveryLedger.reindexClaim).
 * 2. The counters: set to the ledger's count (the killed run's last sums died with it), so that `status`
 *    shows the edition complete once the last reader is sent, not after the settle window.
 * 3. Lost queue messages: every reader with no delivery in the ledger goes back on the queue
 *    (use-cases/requeue-unsent.ts); the sender's claim keeps it to one message each. Of an edition sent in
 *    time-zone waves, only the readers of the waves that have fired (use-cases/plan-waves.ts).
 * 4. Unfinished planning: resumed at its checkpoint.
 */
export async function recoverLocalStack(
  app: Pick<App, 'recent' | 'reconcile' | 'resumeStalledPlanning'>,
  adapters: Pick<Adapters, 'editions' | 'subscribers' | 'suppressions' | 'ledger' | 'queue' | 'schedules'>,
  clock: Clock,
): Promise<Recovery> {
  const open = (await app.recent(RECONCILE_EDITIONS_PER_LIST)).filter((e) => !e.complete);
  let confirmed = 0;
  let resent = 0;
  let requeued = 0;
  for (const edition of open) {
    await reindexClaims(adapters.ledger, edition.id);
    const result = await app.reconcile(edition.id, { windowMs: 0 });
    confirmed += result.confirmed;
    resent += result.resent;
    await recountFromLedger({ ...adapters, clock }, edition.id);
    // An edition sent in time-zone waves: only the waves that have fired go back on the queue.
    requeued += edition.waves
      ? await requeueFiredWaves(adapters, edition.id)
      : await requeueUnsent(adapters, edition);
  }
  const resumed = await app.resumeStalledPlanning(open, { stallMs: 0 });
  return { editions: open.length, confirmed, resent, requeued, planningResumed: resumed.length };
}

/** Every claim of the edition, from its items, back into the stale-claim index. */
async function reindexClaims(ledger: Adapters['ledger'], editionId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await ledger.listByEdition(editionId, cursor, 1000);
    for (const d of page.items)
      if (d.status === 'claimed') await ledger.reindexClaim({ editionId, subscriberId: d.subscriberId });
    cursor = page.cursor;
  } while (cursor !== undefined);
}
