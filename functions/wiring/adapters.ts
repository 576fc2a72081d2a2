import type { DeliveryLedger } from '../ports/delivery-ledger.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { FeedStateStore } from '../ports/feed-state-store.ts';
import type { FeedbackStore } from '../ports/feedback-store.ts';
import type { ListCursorStore } from '../ports/list-cursor-store.ts';
import type { MailTransport } from '../ports/mail-transport.ts';
import type { PostStore } from '../ports/post-store.ts';
import type { RateLimitStore } from '../ports/rate-limit-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import type { SendQuotaStore } from '../ports/send-quota-store.ts';
import type { SendingPauseStore } from '../ports/sending-pause-store.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

/**
 * One implementation of every port the use cases need. Two sets exist: DynamoDB/SQS/SES (`aws.ts`, on AWS
 * and against the emulators) and in memory (`memory.ts`, fast use-case tests). Both pass the same
 * contract suites in test/contract/. Only the modules of this folder choose a set.
 */
export interface Adapters {
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly editions: EditionStore;
  readonly ledger: DeliveryLedger;
  readonly posts: PostStore;
  readonly cursors: ListCursorStore;
  readonly feedStates: FeedStateStore;
  readonly feedback: FeedbackStore;
  readonly rateLimits: RateLimitStore;
  /** Each list's sending-pause flag: set by feedback, checked by the sender before each batch. */
  readonly pauses: SendingPauseStore;
  /** Posts waiting for their time (publish --at, front matter sendAt). */
  readonly schedules: ScheduleStore;
  readonly queue: SendQueue;
  readonly transport: MailTransport;
  /** The SES quota shared by the senders (GetSendQuota at most once a minute). */
  readonly sendQuota: SendQuotaStore;
  /** Closes the sockets this set opened (never clients it was handed). */
  destroy(): void;
}

/**
 * Replaces some adapters with wrappers of them: the fault injection of the tests (a transport that
 * fails, a store that dies mid-call), given the set it wraps.
 */
export type Decorate = (adapters: Adapters) => Partial<Omit<Adapters, 'destroy'>>;

/** The set with the decorator's replacements, when a decorator is given. */
export function decorated(adapters: Adapters, decorate: Decorate | undefined): Adapters {
  if (!decorate) return adapters;
  return { ...adapters, ...decorate(adapters), destroy: () => adapters.destroy() };
}
