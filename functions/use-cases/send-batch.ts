// The batch sender: one queue message of ≤ 50 recipients, exactly once per delivery. Its parts live in
// send-batch/: types, deliver (one recipient to SES), tally (the edition's counters), pool (concurrency)
// and the send-time checks; the rule for skipping a delivery is core/editions/send-verdict.ts.
import { skipReason } from '../core/editions/send-verdict.ts';
import { SEND_BACKOFF } from '../core/pacing/backoff.ts';
import type { DeliveryKey } from '../ports/delivery-ledger.ts';
import { SendRefusedError } from '../ports/errors.ts';
import type { SendBatchMessage, SendRecipient } from '../ports/send-queue.ts';
import { deliver } from './send-batch/deliver.ts';
import { pool } from './send-batch/pool.ts';
import { sendTimeChecks } from './send-batch/send-time-checks.ts';
import { addTally, count, emptyTally } from './send-batch/tally.ts';
import type {
  RecipientOutcome,
  SendBatchDeps,
  SendBatchOptions,
  SendBatchResult,
} from './send-batch/types.ts';

export type { RecipientOutcome, SendBatchDeps, SendBatchOptions, SendBatchResult };

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
  // The three reads a batch needs before its first claim go out together: each is a round trip to the
  // table, and one after the other they were most of a batch's start (measured on the local stack, first
  // batch of 2,000 readers: edition 73 ms, pauses 46 ms, then the send-time checks 78 ms after the claims).
  // The checks are read now and used at the first claim (they are read again once 2 s old); a paused batch
  // drops them unread, so their failure is left to the first claim to report.
  const checks = sendTimeChecks(deps, message.recipients);
  checks.current().catch(() => undefined);
  const preparing = deps.prepare(message.editionId);
  preparing.catch(() => undefined);
  // A paused list (bounce or complaint rate too high, or an operator) sends nothing: no claim, no
  // skip recorded, nothing counted. The whole message goes back on the queue as a new, delayed
  // message and this one succeeds. Failing it instead (partial batch failure) would bring it back after
  // the visibility timeout, and each receive counts towards the DLQ's maxReceiveCount: a pause longer
  // than a few redeliveries would end the edition in the DLQ. The re-enqueued copy is a new message,
  // so it starts again from 0 receives, however long the pause.
  // The same for an edition the error budget paused (SES refused its sender): no claim, back on the queue.
  const [pause, editionPause] = await Promise.all([
    deps.pauses.get(message.listId),
    deps.pauses.getEdition(message.editionId),
  ]);
  const prepared = await preparing;
  if (pause || editionPause) {
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
      ...(editionPause ? { editionPaused: editionPause.reason } : {}),
    };
  }
  const tally = emptyTally();
  let duplicates = 0;
  let throttled = 0;
  const returned: SendRecipient[] = [];
  let stop = false;
  let ranOut = false;
  let refusal: SendRefusedError | undefined;
  const { deadline } = options;
  const outOfTime = () => deadline !== undefined && deps.clock.now().getTime() >= deadline;
  const retries = deps.throttleRetries ?? 3;
  const backoff = deps.backoff ?? SEND_BACKOFF;

  const outcome = (o: RecipientOutcome) => {
    count(tally, o);
    if (o.kind === 'duplicate') duplicates++;
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
    const subscriber = subscribers.get(recipient.subscriberId);
    const skip = skipReason({
      subscriber,
      suppressed: suppressed.has(recipient.email),
      listId: prepared.listId,
      cadences: prepared.cadences,
      queuedEmail: recipient.email,
    });
    if (skip === 'address-mismatch') {
      // A forged (or stale) message: its address is not the subscriber's. Nothing is sent and the claim
      // goes, so the genuine message of this edition still reaches the subscriber.
      await deps.ledger.release(key);
      outcome({ kind: 'refused', subscriberId: recipient.subscriberId, reason: skip });
      return;
    }
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
        subscriber,
        retries,
        backoff,
        () => stop,
        deadline,
      );
    } catch (error) {
      if (!(error instanceof SendRefusedError)) throw error;
      // The error budget: SES refused the sender itself (the From identity lost its verification, the
      // account is paused, the configuration set is gone). Nothing was accepted, and it says nothing about
      // this reader: the claim goes, the batch stops, and the edition pauses below, so no reader is
      // marked failed for good. `tidings editions resume <id>` lets the waiting batches go.
      refusal ??= error;
      stop = true;
      await deps.ledger.release(key);
      returned.push(recipient);
      return;
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
    if (refusal) {
      await deps.pauses.pauseEdition({
        editionId: message.editionId,
        listId: message.listId,
        reason: refusal.reason,
        at: deps.clock.now().toISOString(),
        detail: refusal.message.split('\n')[0] ?? '',
      });
    }
    if (returned.length > 0)
      await deps.queue.enqueue(
        [{ ...message, recipients: returned }],
        refusal ? { delaySeconds: PAUSED_BATCH_DELAY_SECONDS } : undefined,
      );
  } finally {
    // Count what was done even when the batch fails: the redelivered message finds these deliveries
    // already claimed and counts nothing for them.
    await addTally(deps, message.editionId, tally);
  }
  return {
    editionId: message.editionId,
    sent: tally.sent,
    failed: tally.failed,
    skipped: tally.skipped,
    duplicates,
    returned: returned.length,
    throttled,
    paused: false,
    outOfTime: ranOut,
    ...(refusal ? { editionPaused: refusal.reason } : {}),
  };
}
