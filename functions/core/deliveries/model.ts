/** Where one delivery stands: claimed before the send, then sent, failed or skipped. */
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

/** What identifies a delivery: one edition, one subscriber. */
export interface DeliveryKey {
  readonly editionId: string;
  readonly subscriberId: string;
}

/** What a claim got: the new record, or the one an earlier claim left. */
export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly delivery: Delivery }
  | { readonly outcome: 'already-claimed'; readonly delivery: Delivery };
