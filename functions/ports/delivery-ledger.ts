import type { Page } from './subscriber-store.ts';

export type DeliveryStatus = 'claimed' | 'sent' | 'failed' | 'skipped';

/** SES event types recorded against a delivery (configuration-set events). */
export type SesEventType =
  | 'Send'
  | 'Delivery'
  | 'Bounce'
  | 'Complaint'
  | 'Reject'
  | 'DeliveryDelay'
  | 'RenderingFailure'
  | 'Open'
  | 'Click'
  | 'Subscription';

/** One edition to one subscriber: the unit of exactly-once. */
export interface Delivery {
  readonly editionId: string;
  readonly subscriberId: string;
  readonly email: string;
  readonly status: DeliveryStatus;
  /** ISO 8601: when the current claim was taken. */
  readonly claimedAt: string;
  /** How many times it was claimed (1, or more after stale-claim reclaims). */
  readonly attempts: number;
  /** The SES message id, once submitted. */
  readonly messageId?: string;
  readonly sentAt?: string;
  /** Stable code for failed/skipped (e.g. 'suppressed', 'unsubscribed', 'message-rejected'). */
  readonly reason?: string;
  readonly detail?: string;
  readonly finishedAt?: string;
  /** SES events seen for this delivery: type → first time seen (ISO 8601). */
  readonly sesEvents: Readonly<Partial<Record<SesEventType, string>>>;
  /** The message id reported by an SES event, when the ledger write after the send was lost. */
  readonly sesMessageId?: string;
}

export interface DeliveryKey {
  readonly editionId: string;
  readonly subscriberId: string;
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly delivery: Delivery }
  | { readonly outcome: 'already-claimed'; readonly delivery: Delivery };

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
