import { skipReason } from '../core/editions/send-verdict.ts';
import { SEND_BACKOFF } from '../core/pacing/backoff.ts';
import type { DeliveryKey } from '../ports/delivery-ledger.ts';
import type { PreparedEdition } from './edition-message/types.ts';
import { deliver } from './send-batch/deliver.ts';
import { addTally, count, emptyTally } from './send-batch/tally.ts';
import type { SendBatchDeps } from './send-batch/types.ts';
import { settleCounters } from './settle-counters.ts';

/** How long a claim may stay without a result before it is reconciled. SES emits Send events within seconds. */
export const DEFAULT_RECONCILE_WINDOW_MS = 15 * 60_000;

export interface ReconcileResult {
  readonly editionId: string;
  /** Stale claims SES had accepted (a Send event named them): marked sent, not resent. */
  readonly confirmed: number;
  /** Stale claims with no Send event within the window: sent again. */
  readonly resent: number;
  readonly failed: number;
  readonly skipped: number;
  /** Reclaimed but not sent now (throttled): picked up by the next reconciliation. */
  readonly pending: number;
  /** 1 when the edition's counters were recounted from its settled ledger (settle-counters.ts), else 0. */
  readonly recounted: number;
}

/**
 * Reconciles the claims of an edition left without a result (status `claimed`, no message id, older
 * than `windowMs`): a sender crashed between SES accepting the message and the ledger write, or before
 * calling SES at all. The two cannot be told apart from the ledger alone, so:
 * - a Send event recorded for the delivery (through its tags) proves SES accepted it: mark it `sent`
 *   with that message id, and send nothing;
 * - no Send event within the window: SES most likely never got it, so resend under a reclaimed claim
 *   (conditional on the claim time seen, so two reconcilers never both resend). If SES did accept it and
 *   its event was lost, this is the one case where a reader can get two copies; losing a message
 *   silently was judged worse. docs/delivery.md records the choice.
 */
export async function reconcileClaims(
  deps: SendBatchDeps,
  editionId: string,
  options: { readonly windowMs?: number; readonly settleMs?: number } = {},
): Promise<ReconcileResult> {
  const windowMs = options.windowMs ?? DEFAULT_RECONCILE_WINDOW_MS;
  const counts = { confirmed: 0, resent: 0, failed: 0, skipped: 0, pending: 0 };
  // What goes to the edition's counters: confirmed and resent both count as sent.
  const tally = emptyTally();
  const handled = new Set<string>();
  // Built only when a claim is resent: most runs find no stale claim, or only confirmed ones.
  let prepared: PreparedEdition | undefined;
  let paused: boolean | undefined;
  for (;;) {
    const olderThan = new Date(deps.clock.now().getTime() - windowMs).toISOString();
    const stale = (await deps.ledger.findStaleClaims(editionId, olderThan, 100)).filter(
      (d) => !handled.has(d.subscriberId),
    );
    if (stale.length === 0) break;
    const subscribers = await deps.subscribers.getMany(stale.map((d) => d.subscriberId));
    const suppressed = await deps.suppressions.getMany(stale.map((d) => d.email));
    for (const d of stale) {
      handled.add(d.subscriberId);
      const key: DeliveryKey = { editionId, subscriberId: d.subscriberId };
      const now = deps.clock.now().toISOString();
      const acceptedId = d.sesMessageId ?? d.messageId;
      if (acceptedId) {
        // Counted only by the reconciler that made the change: two concurrent runs must not count it twice.
        if (await deps.ledger.markSent(key, acceptedId, now)) {
          counts.confirmed++;
          count(tally, { kind: 'sent', subscriberId: d.subscriberId, messageId: acceptedId });
        }
        continue;
      }
      prepared ??= await deps.prepare(editionId);
      // A paused list or edition (bounce/complaint rates, or SES refusing the sender) resends nothing: the
      // claim stays, and is reconciled once the pause is lifted.
      paused ??= Boolean(
        (await deps.pauses.get(prepared.listId)) ?? (await deps.pauses.getEdition(editionId)),
      );
      if (paused) {
        counts.pending++;
        continue;
      }
      const reclaimed = await deps.ledger.reclaim(key, d.claimedAt, now);
      if (!reclaimed) continue;
      const subscriber = subscribers.get(d.subscriberId);
      const skip = skipReason({
        subscriber,
        suppressed: suppressed.has(d.email),
        listId: prepared.listId,
        cadences: prepared.cadences,
        queuedEmail: d.email,
      });
      if (skip) {
        await deps.ledger.markSkipped(key, d.email, skip, now);
        counts.skipped++;
        count(tally, { kind: 'skipped', subscriberId: d.subscriberId, reason: skip });
        continue;
      }
      const outcome = await deliver(
        deps,
        prepared,
        reclaimed,
        subscriber,
        deps.throttleRetries ?? 3,
        deps.backoff ?? SEND_BACKOFF,
      );
      count(tally, outcome);
      if (outcome.kind === 'sent') counts.resent++;
      else if (outcome.kind === 'failed') counts.failed++;
      else counts.pending++; // left claimed: stale again after the window, reconciled again
    }
  }
  await addTally(deps, editionId, tally);
  // Counters a dead sender never added: recount from the ledger once every delivery has settled.
  const recounted = await settleCounters(
    deps,
    editionId,
    options.settleMs === undefined ? {} : { settleMs: options.settleMs },
  );
  return { editionId, ...counts, recounted: recounted ? 1 : 0 };
}
