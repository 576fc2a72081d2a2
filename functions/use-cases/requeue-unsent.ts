import type { Cadence } from '../core/config/schema.ts';
import { distinctBy, MAX_BATCH_SIZE, toBatches } from '../core/editions/batches.ts';
import type { DeliveryLedger } from '../ports/delivery-ledger.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { SendBatchMessage, SendQueue } from '../ports/send-queue.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

export interface RequeueUnsentDeps {
  readonly editions: EditionStore;
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly ledger: DeliveryLedger;
  readonly queue: SendQueue;
}

/** Subscribers read per page (the planner's default page). */
const PAGE = 500;

/**
 * Puts back on the send queue every reader of an edition that has no delivery in the ledger: the
 * recipients whose queue message was lost with a queue that does not outlive its process (the local
 * stack's SQS emulator keeps its messages in memory; `tidings dev` calls this on start). The readers are
 * found as the planner found them (the list's subscribed members of the edition's cadences, suppressed
 * addresses left out, as the planner counted them skipped), minus every delivery the ledger holds in any
 * state. Nobody can get two copies from it: the sender's claim in the ledger lets one message per reader
 * through, however many times a reader is on the queue. A reader who subscribed after the edition was
 * planned is sent it too: the set planned is not stored, and losing a reader was judged worse.
 *
 * Returns how many readers were put back on the queue.
 */
export async function requeueUnsent(
  deps: RequeueUnsentDeps,
  edition: { readonly id: string; readonly listId: string; readonly cadences: readonly Cadence[] },
): Promise<number> {
  const claimed = new Set<string>();
  for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
    const page = await deps.ledger.listByEdition(edition.id, cursor, 1000);
    for (const d of page.items) claimed.add(d.subscriberId);
    cursor = page.cursor;
  }
  const record = await deps.editions.get(edition.id);
  let batchNo = record?.checkpoint?.batchesEnqueued ?? 0;
  let requeued = 0;
  const seen = new Set<string>();
  for (const cadence of edition.cadences) {
    for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
      const page = await deps.subscribers.pageByList(
        edition.listId,
        { status: 'subscribed', cadence },
        cursor,
        PAGE,
      );
      cursor = page.cursor;
      const members = distinctBy(page.items, (m) => m.subscriberId, seen).filter(
        (m) => !claimed.has(m.subscriberId),
      );
      if (members.length === 0) continue;
      const suppressed = await deps.suppressions.getMany(members.map((m) => m.email));
      const unsent = members.filter((m) => !suppressed.has(m.email));
      const batches: SendBatchMessage[] = toBatches(unsent, MAX_BATCH_SIZE).map((recipients) => ({
        editionId: edition.id,
        listId: edition.listId,
        batchNo: batchNo++,
        recipients: recipients.map((m) => ({ subscriberId: m.subscriberId, email: m.email })),
      }));
      if (batches.length > 0) await deps.queue.enqueue(batches);
      requeued += unsent.length;
    }
  }
  return requeued;
}
