import type { SesEvent } from './ses-event.ts';

/** Which SES message tags name the list, the edition and the subscriber of a message. */
export interface FeedbackTagNames {
  readonly list: string;
  readonly edition: string;
  readonly subscriber: string;
}

/** What one SES event asks of the stores. record-feedback carries them out, in order. */
export type FeedbackAction =
  /** Never mail this address again (hard bounce, complaint). */
  | {
      readonly kind: 'suppress';
      readonly email: string;
      readonly reason: 'hard-bounce' | 'complaint';
      readonly detail: string;
      readonly at: string;
    }
  /** A complaint: the reader also leaves every list, so no digest or list reaches them either. */
  | { readonly kind: 'unsubscribe-all'; readonly email: string; readonly at: string }
  /** A transient bounce: count it; three within 30 days suppress (see `transientBounceVerdict`). */
  | {
      readonly kind: 'count-transient-bounce';
      readonly email: string;
      readonly feedbackId: string;
      readonly at: string;
    }
  /** Note the event on the delivery it belongs to (Send carries the message id for reconciliation). */
  | {
      readonly kind: 'ledger';
      readonly editionId: string;
      readonly subscriberId: string;
      readonly type: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject' | 'DeliveryDelay';
      readonly messageId: string;
      readonly at: string;
    }
  /** Add to a list's counters (and emit the matching metric). */
  | {
      readonly kind: 'count';
      readonly listId: string;
      readonly metric: 'sent' | 'delivered' | 'bounced' | 'complained';
    };

/**
 * Turns one SES event into actions. Pure: the same event always gives the same actions, so a redelivered
 * event is harmless as long as the stores' writes are idempotent (suppression puts, ledger events keyed by
 * type, transient bounces keyed by feedback id).
 *
 * - Bounce, Permanent → suppress each bounced recipient.
 * - Bounce, Transient or Undetermined → count a transient bounce for each recipient.
 * - Complaint → suppress and unsubscribe from every list.
 * - Send, Delivery (and the others) → ledger only.
 *
 * @example
 * feedbackActions(event, { list: 'list', edition: 'edition', subscriber: 'subscriber' })
 */
export function feedbackActions(event: SesEvent, tags: FeedbackTagNames): FeedbackAction[] {
  const actions: FeedbackAction[] = [];
  const listId = tag(event, tags.list);
  const editionId = tag(event, tags.edition);
  const subscriberId = tag(event, tags.subscriber);
  const at = eventTime(event);

  if (event.type !== 'Other' && editionId && subscriberId) {
    actions.push({
      kind: 'ledger',
      editionId,
      subscriberId,
      type: event.type,
      messageId: event.mail.messageId,
      at,
    });
  }

  if (event.type === 'Bounce' && event.bounce) {
    const b = event.bounce;
    for (const email of b.recipients) {
      if (b.bounceType === 'Permanent') {
        actions.push({
          kind: 'suppress',
          email,
          reason: 'hard-bounce',
          detail: `${b.bounceType}/${b.bounceSubType || 'General'}`,
          at,
        });
      } else {
        actions.push({
          kind: 'count-transient-bounce',
          email,
          feedbackId: b.feedbackId || event.mail.messageId,
          at,
        });
      }
    }
  }

  if (event.type === 'Complaint' && event.complaint) {
    const c = event.complaint;
    // Some providers strip the recipient from the complaint report; the message's destination is the fallback.
    const who = c.recipients.length > 0 ? c.recipients : event.mail.destination;
    for (const email of who) {
      actions.push({ kind: 'suppress', email, reason: 'complaint', detail: c.feedbackType ?? 'abuse', at });
      actions.push({ kind: 'unsubscribe-all', email, at });
    }
  }

  if (listId) {
    const metric =
      event.type === 'Send'
        ? 'sent'
        : event.type === 'Delivery'
          ? 'delivered'
          : event.type === 'Bounce'
            ? 'bounced'
            : event.type === 'Complaint'
              ? 'complained'
              : undefined;
    if (metric) actions.push({ kind: 'count', listId, metric });
  }
  return actions;
}

/** Transient bounces within this many days count towards suppression. */
export const TRANSIENT_BOUNCE_WINDOW_DAYS = 30;
/** This many transient bounces within the window suppress the address. */
export const TRANSIENT_BOUNCE_LIMIT = 3;

/**
 * Whether an address's transient bounces (ISO 8601 times) warrant suppression at `now`: three within
 * the last 30 days.
 */
export function transientBounceVerdict(
  times: readonly string[],
  now: Date,
): { suppress: boolean; recent: number } {
  const since = now.getTime() - TRANSIENT_BOUNCE_WINDOW_DAYS * 86_400_000;
  const recent = new Set(times.filter((t) => Date.parse(t) >= since)).size;
  return { suppress: recent >= TRANSIENT_BOUNCE_LIMIT, recent };
}

function tag(event: SesEvent, name: string): string | undefined {
  const value = event.mail.tags[name]?.[0];
  return value && value.length > 0 ? value : undefined;
}

function eventTime(event: SesEvent): string {
  return (
    event.bounce?.timestamp ?? event.complaint?.timestamp ?? event.delivery?.timestamp ?? event.mail.timestamp
  );
}
