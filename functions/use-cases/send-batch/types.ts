// The types of the batch sender (send-batch.ts) and of what it shares with the reconciler.
import type { Config } from '../../core/config/schema.ts';
import type { BackoffPolicy } from '../../core/pacing/backoff.ts';
import type { PacerClock, SlotQueue } from '../../core/pacing/pacer.ts';
import type { RateLimiter } from '../../core/pacing/rate-limiter.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeliveryLedger } from '../../ports/delivery-ledger.ts';
import type { EditionStore } from '../../ports/edition-store.ts';
import type { MailTransport } from '../../ports/mail-transport.ts';
import type { SendQueue } from '../../ports/send-queue.ts';
import type { SendingPauseStore } from '../../ports/sending-pause-store.ts';
import type { SubscriberStore } from '../../ports/subscriber-store.ts';
import type { SuppressionStore } from '../../ports/suppression-store.ts';
import type { PrepareEdition } from '../edition-message/types.ts';

export interface SendBatchDeps {
  readonly config: Config;
  readonly editions: EditionStore;
  readonly ledger: DeliveryLedger;
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly transport: MailTransport;
  readonly queue: SendQueue;
  /** Each list's sending-pause flag, checked before any claim of a batch. */
  readonly pauses: SendingPauseStore;
  readonly clock: Clock;
  /** Shared by every batch this process sends: the pace is per sender. */
  readonly limiter: RateLimiter;
  readonly pacer: PacerClock;
  /** Hands the limiter's slots to the calls in flight in order, with one timer (else each call polls). */
  readonly slots?: SlotQueue;
  readonly random: () => number;
  readonly prepare: PrepareEdition;
  /** SendRawEmail calls in flight. @default 8 */
  readonly concurrency?: number;
  /** Throttled retries of one message inside the batch before the rest goes back to the queue. @default 3 */
  readonly throttleRetries?: number;
  readonly backoff?: BackoffPolicy;
  /** Called after each recipient has an outcome (progress bars). */
  readonly onOutcome?: (outcome: RecipientOutcome) => void;
}

export type RecipientOutcome =
  | { readonly kind: 'sent'; readonly subscriberId: string; readonly messageId: string }
  | { readonly kind: 'failed'; readonly subscriberId: string; readonly reason: string }
  | { readonly kind: 'skipped'; readonly subscriberId: string; readonly reason: string }
  /** Already claimed by an earlier or concurrent delivery of the same message: nothing done, nothing counted. */
  | { readonly kind: 'duplicate'; readonly subscriberId: string; readonly status: string }
  /** The message named an address that is not the subscriber's: nothing sent, the claim released. */
  | { readonly kind: 'refused'; readonly subscriberId: string; readonly reason: 'address-mismatch' }
  /**
   * Not settled now. 'throttled' and 'out-of-time' (the invocation's deadline passed before SES was
   * called): released and returned to the queue. 'outcome-unknown': SES may have accepted it; the claim
   * stays for reconciliation.
   */
  | { readonly kind: 'returned'; readonly subscriberId: string; readonly reason: string };

export interface SendBatchResult {
  readonly editionId: string;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
  readonly duplicates: number;
  /** Recipients put back on the queue (throttling, transient errors). */
  readonly returned: number;
  readonly throttled: number;
  /** The list was paused: nothing claimed or sent, the whole message is back on the queue, delayed. */
  readonly paused: boolean;
  /** The invocation reached its deadline: the recipients not yet sent are back on the queue. */
  readonly outOfTime: boolean;
  /**
   * The edition is paused (its reason): SES refused the sender during this batch (the error budget), or
   * it was already paused. The unsent recipients are back on the queue, delayed.
   */
  readonly editionPaused?: string;
}

export interface SendBatchOptions {
  /**
   * When this invocation must stop (epoch ms, on deps.clock): see core/pacing/deadline.ts. After it no
   * delivery is claimed, and a claimed one that gets its pacing slot after it is released; both go back
   * on the queue as a new message, like throttled ones, so a slow pace (the SES sandbox sends 1 a second)
   * never runs a batch into the function's timeout. Unset: no limit (the CLI's own sender).
   */
  readonly deadline?: number;
}
