import type { ClaimResult, Delivery, DeliveryKey, SesEventType } from '../core/deliveries/model.ts';
import type { Page } from '../core/subscribers/model.ts';

// The records moved to core; re-exported so code that imports them from this port keeps working.
export type {
  ClaimResult,
  Delivery,
  DeliveryKey,
  DeliveryStatus,
  SesEventType,
} from '../core/deliveries/model.ts';

export interface DeliveryLedger {
  /**
   * Conditional put: only the first claim of (edition, subscriber) wins. Later calls get
   * 'already-claimed' with the stored record, whatever its status.
   */
  claim(key: DeliveryKey, email: string, now: string): Promise<ClaimResult>;
  /**
   * Takes over a stale claim (status claimed, no message id) for a resend. Conditional on the
   * claimedAt the caller saw, so of two reclaimers only one wins. Returns the new record or undefined.
   */
  reclaim(key: DeliveryKey, seenClaimedAt: string, now: string): Promise<Delivery | undefined>;
  /**
   * → sent, with the SES message id (from claimed, or from failed/skipped: SES accepting it is the
   * truth). Returns true when this call made the change, false when it was already sent (the first
   * message id is kept): count a delivery only on true. Throws NotFoundError for an unclaimed delivery.
   */
  markSent(key: DeliveryKey, messageId: string, at: string): Promise<boolean>;
  /** claimed → failed, with a stable reason code. Returns false (and changes nothing) unless it was claimed. */
  markFailed(key: DeliveryKey, reason: string, at: string, detail?: string): Promise<boolean>;
  /**
   * (no record) or claimed → skipped, with a reason. Returns false (and changes nothing) when the
   * delivery already has a result; a later claim of a skipped delivery gets 'already-claimed'.
   */
  markSkipped(key: DeliveryKey, email: string, reason: string, at: string): Promise<boolean>;
  /**
   * Releases a claim whose send certainly did not happen (e.g. throttled before SES accepted),
   * so the retried queue message can claim it again. Conditional on status claimed and no message id.
   */
  release(key: DeliveryKey): Promise<void>;
  get(key: DeliveryKey): Promise<Delivery | undefined>;
  /** Claims of an edition still without a result, claimed before `olderThan` (a query on a sparse index). */
  findStaleClaims(editionId: string, olderThan: string, limit?: number): Promise<readonly Delivery[]>;
  /**
   * Writes a claim's entry in the stale-claim index again, from the claim itself; nothing when it is not
   * a claim any more. For the local stack's start only (local/recover.ts): dynalite writes an item's index
   * entries and then the item, as separate LevelDB writes, so a `kill -9` between them can leave a claim
   * that findStaleClaims never returns (measured: 1 reader of 3,000 left claimed for good).
   */
  reindexClaim(key: DeliveryKey): Promise<void>;
  /**
   * Records an SES event against the delivery its tags name. A Send event carries the message id,
   * which is how a claim left without a ledger write is reconciled. Ignores unknown deliveries.
   */
  recordSesEvent(
    key: DeliveryKey,
    event: { readonly type: SesEventType; readonly messageId: string; readonly at: string },
  ): Promise<void>;
  /** Every delivery of an edition, ordered by subscriber id, by keyset cursor. */
  listByEdition(editionId: string, cursor: string | undefined, limit: number): Promise<Page<Delivery>>;
}
