export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type {
  ClaimResult,
  Delivery,
  DeliveryKey,
  DeliveryLedger,
  DeliveryStatus,
  SesEventType,
} from './delivery-ledger.ts';
export type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionKind,
  EditionPostRef,
  EditionRecord,
  EditionStatus,
  EditionStore,
  PlannerCheckpoint,
} from './edition-store.ts';
export {
  PermanentRecipientError,
  QueueSendError,
  StoreError,
  ThrottlingError,
  TransientSendError,
} from './errors.ts';
export type { FeedbackStore, ListFeedbackCounts } from './feedback-store.ts';
export type { ListCursor, ListCursorStore, SeenFeedItem } from './list-cursor-store.ts';
export type { MailTransport, SendQuota, SendRawOptions } from './mail-transport.ts';
export type { ListedPost, PostStore, StoredPost } from './post-store.ts';
export type { RateLimitStore } from './rate-limit-store.ts';
export type { SendBatchMessage, SendQueue, SendRecipient } from './send-queue.ts';
export { MAX_RECIPIENTS_PER_BATCH } from './send-queue.ts';
export type { SendingPause, SendingPauseStore } from './sending-pause-store.ts';
export type {
  ConsentEvidence,
  ListMember,
  ListStatus,
  Membership,
  MembershipPatch,
  Page,
  PutOutcome,
  Subscriber,
  SubscriberStore,
} from './subscriber-store.ts';
export type { Suppression, SuppressionReason, SuppressionStore } from './suppression-store.ts';
