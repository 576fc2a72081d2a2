import type { Config } from '../core/config/schema.ts';
import {
  type FeedbackAction,
  type FeedbackTagNames,
  feedbackActions,
  healthWindowDays,
  listHealth,
  TRANSIENT_BOUNCE_WINDOW_DAYS,
  transientBounceVerdict,
} from '../core/feedback/index.ts';
import type { SesEvent } from '../core/feedback/ses-event.ts';
import { normalizeEmail } from '../core/subscribers/email.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryLedger } from '../ports/delivery-ledger.ts';
import type { FeedbackStore } from '../ports/feedback-store.ts';
import type { SendingPause, SendingPauseStore } from '../ports/sending-pause-store.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import { leaveLists } from './unsubscribe.ts';

export interface RecordFeedbackDeps {
  readonly config: Pick<Config, 'lists'>;
  readonly clock: Clock;
  readonly ledger: DeliveryLedger;
  readonly suppressions: SuppressionStore;
  readonly subscribers: SubscriberStore;
  readonly feedback: FeedbackStore;
  readonly pauses: SendingPauseStore;
  /** The SES message tags that name list, edition and subscriber (the sender sets them). */
  readonly tagNames: FeedbackTagNames;
}

/** What recording a batch of SES events did; the handler turns the counts into metrics and logs. */
export interface FeedbackSummary {
  readonly events: number;
  /** Addresses newly suppressed, with the reason. */
  readonly suppressed: readonly { readonly email: string; readonly reason: 'hard-bounce' | 'complaint' }[];
  /** Addresses taken off every list after a complaint. */
  readonly unsubscribed: readonly string[];
  /** Ledger updates made. */
  readonly ledgerUpdates: number;
  /** Per list: how many of each kind of event this batch counted. */
  readonly perList: Readonly<
    Record<string, { sent: number; delivered: number; bounced: number; complained: number }>
  >;
  /** Lists this batch paused. */
  readonly paused: readonly SendingPause[];
}

/**
 * Applies SES feedback (see core/feedback for the rules): suppress hard bounces and complaints, count
 * transient bounces (three within 30 days suppress), unsubscribe complainers from everything, note Send
 * and Delivery on the ledger, count per list, and pause a list whose bounce rate reaches 2 % or
 * complaint rate 0.08 % over the last 7 days. Every write is idempotent, so SNS or EventBridge
 * redelivering an event does no harm (the per-list counters may count it twice; they are rates, and the
 * error is on the side of pausing early).
 */
export async function recordFeedback(
  deps: RecordFeedbackDeps,
  events: readonly SesEvent[],
): Promise<FeedbackSummary> {
  const suppressed: { email: string; reason: 'hard-bounce' | 'complaint' }[] = [];
  const unsubscribed: string[] = [];
  const perList: Record<string, { sent: number; delivered: number; bounced: number; complained: number }> =
    {};
  let ledgerUpdates = 0;
  const knownLists = new Set(deps.config.lists.map((l) => l.id));

  for (const event of events) {
    for (const action of feedbackActions(event, deps.tagNames)) {
      switch (action.kind) {
        case 'ledger':
          await deps.ledger.recordSesEvent(
            { editionId: action.editionId, subscriberId: action.subscriberId },
            { type: action.type, messageId: action.messageId, at: action.at },
          );
          ledgerUpdates += 1;
          break;
        case 'suppress':
          if (await suppress(deps, action)) suppressed.push({ email: action.email, reason: action.reason });
          break;
        case 'unsubscribe-all':
          if (await unsubscribeAll(deps, action.email)) unsubscribed.push(action.email);
          break;
        case 'count-transient-bounce': {
          const email = normalizeEmail(action.email) ?? action.email;
          const keepUntil = Math.floor(Date.parse(action.at) / 1000) + TRANSIENT_BOUNCE_WINDOW_DAYS * 86_400;
          const times = await deps.feedback.addTransientBounce(
            email,
            action.feedbackId,
            action.at,
            keepUntil,
          );
          const verdict = transientBounceVerdict(times, deps.clock.now());
          if (verdict.suppress) {
            const done = await suppress(deps, {
              kind: 'suppress',
              email,
              reason: 'hard-bounce',
              detail: `${verdict.recent} transient bounces within ${TRANSIENT_BOUNCE_WINDOW_DAYS} days`,
              at: action.at,
            });
            if (done) suppressed.push({ email, reason: 'hard-bounce' });
          }
          break;
        }
        case 'count': {
          if (!knownLists.has(action.listId)) break;
          const counts = perList[action.listId] ?? { sent: 0, delivered: 0, bounced: 0, complained: 0 };
          counts[action.metric] += 1;
          perList[action.listId] = counts;
          break;
        }
      }
    }
  }

  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  const paused: SendingPause[] = [];
  for (const [listId, counts] of Object.entries(perList)) {
    await deps.feedback.addListCounts(listId, today, {
      sent: counts.sent,
      bounced: counts.bounced,
      complained: counts.complained,
    });
    if (counts.bounced === 0 && counts.complained === 0) continue;
    const health = listHealth(await deps.feedback.listCounts(listId, healthWindowDays(now)));
    if (!health.pause) continue;
    const pause: SendingPause = {
      listId,
      reason: health.pause,
      at: now.toISOString(),
      bounceRate: health.bounceRate,
      complaintRate: health.complaintRate,
      sent: health.sent,
    };
    if (await deps.pauses.pause(pause)) paused.push(pause);
  }
  return { events: events.length, suppressed, unsubscribed, ledgerUpdates, perList, paused };
}

async function suppress(
  deps: RecordFeedbackDeps,
  action: Extract<FeedbackAction, { kind: 'suppress' }>,
): Promise<boolean> {
  const email = normalizeEmail(action.email) ?? action.email;
  const existing = await deps.suppressions.get(email);
  // A complaint outranks a bounce; otherwise the first reason stays (and its time).
  if (existing && (existing.reason === action.reason || existing.reason === 'complaint')) return false;
  return deps.suppressions.put({ email, reason: action.reason, at: action.at, detail: action.detail });
}

async function unsubscribeAll(deps: RecordFeedbackDeps, address: string): Promise<boolean> {
  const email = normalizeEmail(address);
  if (!email) return false;
  const subscriber = await deps.subscribers.getByEmail(email);
  if (!subscriber) return false;
  const active = Object.values(subscriber.lists).some((m) => m.status !== 'unsubscribed');
  if (!active) return false;
  await leaveLists(deps, subscriber, undefined, 'complaint');
  return true;
}
