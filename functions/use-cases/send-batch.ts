import type { Config } from '../core/config/schema.ts';
import { deliveryId, deliveryTags } from '../core/editions/edition-id.ts';
import { isEditionComplete } from '../core/editions/progress.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { RawMessage } from '../core/mime/build-message.ts';
import { type BackoffPolicy, fullJitter, SEND_BACKOFF } from '../core/pacing/backoff.ts';
import { acquireSlot, type PacerClock, type SlotQueue } from '../core/pacing/pacer.ts';
import type { RateLimiter } from '../core/pacing/rate-limiter.ts';
import type { Clock } from '../ports/clock.ts';
import type { Delivery, DeliveryKey, DeliveryLedger } from '../ports/delivery-ledger.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../ports/errors.ts';
import type { MailTransport } from '../ports/mail-transport.ts';
import type { SendBatchMessage, SendQueue, SendRecipient } from '../ports/send-queue.ts';
import type { SendingPauseStore } from '../ports/sending-pause-store.ts';
import type { Subscriber, SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

/** An edition made ready to send: compiled once, then built per recipient in microseconds. */
export interface PreparedEdition {
  readonly editionId: string;
  readonly listId: string;
  /** The cadences the edition goes to; a member who switched cadence since planning is skipped. */
  readonly cadences: readonly string[];
  /** Envelope sender (bare address). */
  readonly from: string;
  /** The finished MIME for one recipient. */
  build(recipient: {
    readonly subscriberId: string;
    readonly email: string;
    readonly name?: string;
    readonly deliveryId: string;
    readonly now: Date;
  }): RawMessage;
}

/** Loads and compiles an edition (stored rendering → per-recipient fast path). */
export type PrepareEdition = (editionId: string) => Promise<PreparedEdition>;

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

/**
 * How long a batch of a paused list waits before a sender looks at it again: SQS's longest message
 * delay. A pause lasts until an operator lifts it (hours, days), so checking every 15 minutes costs
 * one small message per batch per quarter hour and sends within 15 minutes of the resume.
 */
export const PAUSED_BATCH_DELAY_SECONDS = 900;

/**
 * Sends one queue message (≤ 50 recipients of one edition), exactly once per delivery:
 * 1. at send time, batch-reads the recipients' subscriptions and the suppression list;
 * 2. CLAIMS each delivery with a conditional write; an existing claim means another delivery of the
 *    same message got there first: skip, never resend;
 * 3. records `skipped` (suppressed, unsubscribed since planning) in the ledger, under the claim, so the
 *    count is exact even when the queue delivers the message twice;
 * 4. paces with the shared rate limiter, builds the MIME, calls SendRawEmail with the configuration set
 *    and the delivery tags, and records the message id;
 * 0. before any claim, checks the list's sending pause: a paused list's message goes back on the queue,
 *    delayed (PAUSED_BATCH_DELAY_SECONDS), with nothing claimed or sent;
 * 5. throttling: retries with full-jitter backoff, then releases the claims not sent and puts those
 *    recipients back on the queue as a new message; the original message succeeds. (Failing the SQS
 *    message instead would redeliver all 50 after the visibility timeout and count a receive towards
 *    the DLQ for a rate problem.) A permanent error for one address marks that delivery `failed` with
 *    its reason, and the batch goes on (Gitpod #1791).
 * 6. a deadline (options.deadline, from the Lambda's remaining time): no claim after it, and a claimed
 *    delivery that gets its slot after it is released; the unsent recipients go back on the queue as a
 *    new message, so a slow pace never runs into the function's timeout with claims left half-done.
 * Any other error (the ledger or the table unreachable) propagates: the handler reports the message as
 * a partial-batch failure, SQS redelivers it whole, and the ledger skips the deliveries already done.
 */
export async function sendBatch(
  deps: SendBatchDeps,
  message: SendBatchMessage,
  options: SendBatchOptions = {},
): Promise<SendBatchResult> {
  const prepared = await deps.prepare(message.editionId);
  // A paused list (bounce or complaint rate too high, or an operator) sends nothing: no claim, no
  // skip recorded, nothing counted. The whole message goes back on the queue as a new, delayed
  // message and this one succeeds. Failing it instead (partial batch failure) would bring it back after
  // the visibility timeout, and each receive counts towards the DLQ's maxReceiveCount: a pause longer
  // than a few redeliveries would end the edition in the DLQ. The re-enqueued copy is a new message,
  // so it starts again from 0 receives, however long the pause.
  const pause = await deps.pauses.get(message.listId);
  if (pause) {
    await deps.queue.enqueue([message], { delaySeconds: PAUSED_BATCH_DELAY_SECONDS });
    return {
      editionId: message.editionId,
      sent: 0,
      failed: 0,
      skipped: 0,
      duplicates: 0,
      returned: message.recipients.length,
      throttled: 0,
      paused: true,
      outOfTime: false,
    };
  }
  const checks = sendTimeChecks(deps, message.recipients);

  const delta = {
    sent: 0,
    failed: 0,
    skipped: 0,
    skippedReasons: {} as Record<string, number>,
    failedReasons: {} as Record<string, number>,
  };
  let duplicates = 0;
  let throttled = 0;
  const returned: SendRecipient[] = [];
  let stop = false;
  let ranOut = false;
  const { deadline } = options;
  const outOfTime = () => deadline !== undefined && deps.clock.now().getTime() >= deadline;
  const retries = deps.throttleRetries ?? 3;
  const backoff = deps.backoff ?? SEND_BACKOFF;

  const outcome = (o: RecipientOutcome) => {
    if (o.kind === 'sent') delta.sent++;
    else if (o.kind === 'failed') {
      delta.failed++;
      delta.failedReasons[o.reason] = (delta.failedReasons[o.reason] ?? 0) + 1;
    } else if (o.kind === 'skipped') {
      delta.skipped++;
      delta.skippedReasons[o.reason] = (delta.skippedReasons[o.reason] ?? 0) + 1;
    } else if (o.kind === 'duplicate') duplicates++;
    deps.onOutcome?.(o);
  };

  const one = async (recipient: SendRecipient): Promise<void> => {
    if (stop || outOfTime()) {
      ranOut ||= !stop;
      returned.push(recipient);
      return;
    }
    const key: DeliveryKey = { editionId: message.editionId, subscriberId: recipient.subscriberId };
    const now = () => deps.clock.now().toISOString();
    const claim = await deps.ledger.claim(key, recipient.email, now());
    if (claim.outcome === 'already-claimed') {
      outcome({ kind: 'duplicate', subscriberId: recipient.subscriberId, status: claim.delivery.status });
      return;
    }
    const { subscribers, suppressed } = await checks.current();
    const skip = skipReason(
      subscribers.get(recipient.subscriberId),
      suppressed.has(recipient.email),
      prepared,
    );
    if (skip) {
      await deps.ledger.markSkipped(key, recipient.email, skip, now());
      outcome({ kind: 'skipped', subscriberId: recipient.subscriberId, reason: skip });
      return;
    }
    let result: RecipientOutcome;
    try {
      result = await deliver(
        deps,
        prepared,
        claim.delivery,
        subscribers.get(recipient.subscriberId),
        retries,
        backoff,
        () => stop,
        deadline,
      );
    } catch (error) {
      // SES refused the call itself: nothing was accepted, so the claim goes and the message fails. SQS
      // redelivers it; a refusal that persists ends in the DLQ, which alarms (instead of looping forever).
      if (error instanceof SendRefusedError) await deps.ledger.release(key);
      throw error;
    }
    if (result.kind === 'returned' && result.reason === 'out-of-time') {
      // The deadline passed while it waited for its slot: SES was not called. Release and hand it back.
      ranOut = true;
      await deps.ledger.release(key);
      returned.push(recipient);
    }
    if (result.kind === 'returned' && result.reason === 'throttled') {
      // Throttled: SES accepted nothing. Release the claim and hand the recipient back to the queue.
      throttled++;
      stop = true;
      await deps.ledger.release(key);
      returned.push(recipient);
    }
    // 'outcome-unknown' (a timeout, a reset, a 5xx): SES may have accepted the message, so it is neither
    // released nor resent here. The claim stays; reconciliation confirms it from SES's Send event, or
    // resends it once the window has passed with none (docs/delivery.md).
    outcome(result);
  };

  try {
    await pool(message.recipients, deps.concurrency ?? 8, one);
    if (returned.length > 0) await deps.queue.enqueue([{ ...message, recipients: returned }]);
  } finally {
    // Count what was done even when the batch fails: the redelivered message finds these deliveries
    // already claimed and counts nothing for them.
    if (delta.sent + delta.failed + delta.skipped > 0) {
      await deps.editions.addCounters(message.editionId, {
        ...(delta.sent ? { sent: delta.sent } : {}),
        ...(delta.failed ? { failed: delta.failed, failedReasons: delta.failedReasons } : {}),
        ...(delta.skipped ? { skipped: delta.skipped, skippedReasons: delta.skippedReasons } : {}),
      });
      await completeIfDone(deps, message.editionId);
    }
  }
  return {
    editionId: message.editionId,
    sent: delta.sent,
    failed: delta.failed,
    skipped: delta.skipped,
    duplicates,
    returned: returned.length,
    throttled,
    paused: false,
    outOfTime: ranOut,
  };
}

/**
 * How old the send-time snapshot of a batch's subscriptions and suppressions may get before it is read
 * again. A paced batch of 50 takes seconds (7 s at 7/s, 50 s in the SES sandbox): an unsubscribe or a
 * complaint that lands meanwhile must stop the messages after it, not only the next batch.
 */
export const SEND_CHECK_MAX_AGE_MS = 2_000;

/** The batch's subscriptions and suppressions, read in two batch calls and again once older than the limit. */
function sendTimeChecks(
  deps: Pick<SendBatchDeps, 'subscribers' | 'suppressions' | 'clock'>,
  recipients: readonly SendRecipient[],
) {
  let snapshot:
    | Promise<{ subscribers: ReadonlyMap<string, Subscriber>; suppressed: ReadonlyMap<string, unknown> }>
    | undefined;
  let readAt = 0;
  return {
    current() {
      const now = deps.clock.now().getTime();
      if (!snapshot || now - readAt > SEND_CHECK_MAX_AGE_MS) {
        readAt = now;
        snapshot = Promise.all([
          deps.subscribers.getMany(recipients.map((r) => r.subscriberId)),
          deps.suppressions.getMany(recipients.map((r) => r.email)),
        ]).then(([subscribers, suppressed]) => ({ subscribers, suppressed }));
      }
      return snapshot;
    },
  };
}

/** Why a recipient must not get the edition now (checked at send time), or undefined. */
function skipReason(
  subscriber: Subscriber | undefined,
  suppressed: boolean,
  prepared: PreparedEdition,
): string | undefined {
  if (suppressed) return 'suppressed';
  if (!subscriber) return 'subscriber-removed';
  const membership = subscriber.lists[prepared.listId];
  if (membership?.status !== 'subscribed') return 'unsubscribed';
  if (!prepared.cadences.includes(membership.cadence)) return 'cadence-changed';
  return undefined;
}

/**
 * Sends one claimed delivery and records its result. Shared by the batch sender and by the
 * reconciliation of stale claims (which resends under a reclaimed claim).
 */
export async function deliver(
  deps: Pick<
    SendBatchDeps,
    'ledger' | 'transport' | 'clock' | 'limiter' | 'pacer' | 'slots' | 'random' | 'config'
  >,
  prepared: PreparedEdition,
  delivery: Delivery,
  subscriber: Subscriber | undefined,
  retries: number,
  backoff: BackoffPolicy,
  stopped: () => boolean = () => false,
  deadline?: number,
): Promise<RecipientOutcome> {
  const key: DeliveryKey = { editionId: delivery.editionId, subscriberId: delivery.subscriberId };
  const id = deliveryId(delivery.editionId, delivery.subscriberId);
  let raw: RawMessage;
  try {
    raw = prepared.build({
      subscriberId: delivery.subscriberId,
      email: delivery.email,
      ...(subscriber?.name ? { name: subscriber.name } : {}),
      deliveryId: id,
      now: deps.clock.now(),
    });
  } catch (error) {
    // The MIME builder refuses an address that would break a header: that one delivery can never be sent.
    // Anything else it refuses (a link, a message id) is a configuration problem that would fail every
    // delivery: it fails the batch instead of marking readers' deliveries as failed.
    if (!(error instanceof InvalidInputError) || error.code !== 'ADDRESS_INVALID') throw error;
    await deps.ledger.markFailed(key, 'invalid-address', deps.clock.now().toISOString(), error.message);
    return { kind: 'failed', subscriberId: delivery.subscriberId, reason: 'invalid-address' };
  }
  for (let attempt = 0; ; attempt++) {
    // Past the invocation's deadline, nothing more goes to SES: the wait for a slot ends at the deadline
    // (no earlier attempt was accepted: a throttled one is the only kind that loops back here).
    const granted = await (deps.slots
      ? deps.slots.acquire(deadline)
      : acquireSlot(deps.limiter, deps.pacer, deadline));
    if (!granted) return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'out-of-time' };
    try {
      const { messageId } = await deps.transport.sendRaw(raw, {
        from: prepared.from,
        to: delivery.email,
        configurationSet: deps.config.sending.configurationSet,
        tags: deliveryTags({
          listId: prepared.listId,
          editionId: delivery.editionId,
          subscriberId: delivery.subscriberId,
        }),
      });
      await deps.ledger.markSent(key, messageId, deps.clock.now().toISOString());
      return { kind: 'sent', subscriberId: delivery.subscriberId, messageId };
    } catch (error) {
      if (error instanceof PermanentRecipientError) {
        await deps.ledger.markFailed(key, error.reason, deps.clock.now().toISOString(), error.message);
        return { kind: 'failed', subscriberId: delivery.subscriberId, reason: error.reason };
      }
      if (error instanceof ThrottlingError) {
        if (attempt >= retries || stopped())
          return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'throttled' };
        await deps.pacer.sleep(fullJitter(attempt, backoff, deps.random));
        continue;
      }
      if (error instanceof TransientSendError)
        return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'outcome-unknown' };
      throw error;
    }
  }
}

/** Marks the edition completed once every planned delivery has an outcome. */
export async function completeIfDone(
  deps: Pick<SendBatchDeps, 'editions' | 'clock'>,
  editionId: string,
): Promise<void> {
  const record = await deps.editions.get(editionId);
  if (!record || record.edition.status === 'completed') return;
  if (isEditionComplete(record.counters, record.checkpoint?.done ?? false)) {
    await deps.editions.markCompleted(editionId, deps.clock.now().toISOString());
  }
}

/**
 * Runs `fn` over items with at most `limit` in flight. After a failure no new item starts; the ones in
 * flight finish (their results are recorded), then the first error is thrown.
 */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
