// The one send-time rule: whether a planned delivery still goes out. The batch sender asks it for every
// claimed delivery, and the reconciler for every stale claim it would resend, so the two cannot drift.

/** Why a delivery is skipped at send time: a stable code, counted per reason in the edition's counters. */
export type SkipReason =
  | 'address-mismatch'
  | 'suppressed'
  | 'subscriber-removed'
  | 'unsubscribed'
  | 'cadence-changed';

/** What the verdict reads of a subscriber: their membership of each list. */
export interface VerdictSubscriber {
  /** The address as stored: the one address this subscriber's mail may go to. */
  readonly email?: string;
  readonly lists: Readonly<Record<string, { readonly status: string; readonly cadence: string }>>;
}

/** One delivery, as it stands at send time. */
export interface SendVerdictInput {
  /** The subscriber as stored now; undefined when they were deleted since planning. */
  readonly subscriber: VerdictSubscriber | undefined;
  /** Whether the address is on the suppression list now. */
  readonly suppressed: boolean;
  /** The edition's list. */
  readonly listId: string;
  /** The cadences the edition goes to (['instant'] for publish, ['daily'] or ['weekly'] for a digest). */
  readonly cadences: readonly string[];
  /**
   * The address the queue message (or the claim) names. The queue is not trusted: a message naming a
   * real subscriber's id with another address must not send that subscriber's edition, with their
   * working links, to the other address.
   */
  readonly queuedEmail?: string;
}

/**
 * Why a planned delivery must not be sent now, or undefined when it goes out. Checked at send time, not
 * only at plan time: a suppression, an unsubscribe, a deletion or a cadence switch that lands after
 * planning stops the messages not yet sent. The order fixes which reason is counted when several apply.
 *
 * @example
 * skipReason({ subscriber, suppressed: false, listId: 'podcast', cadences: ['instant'] })
 * // 'cadence-changed' when the reader moved podcast to weekly after the edition was planned
 */
export function skipReason(input: SendVerdictInput): SkipReason | undefined {
  if (addressMismatch(input)) return 'address-mismatch';
  if (input.suppressed) return 'suppressed';
  if (!input.subscriber) return 'subscriber-removed';
  const membership = input.subscriber.lists[input.listId];
  if (membership?.status !== 'subscribed') return 'unsubscribed';
  if (!input.cadences.includes(membership.cadence)) return 'cadence-changed';
  return undefined;
}

/**
 * Whether the address a queue message names differs from the subscriber's stored address: a forged or
 * stale message. The stored record is the truth; the message's address is never mailed on its own word.
 */
export function addressMismatch(input: Pick<SendVerdictInput, 'subscriber' | 'queuedEmail'>): boolean {
  const stored = input.subscriber?.email;
  return input.queuedEmail !== undefined && stored !== undefined && stored !== input.queuedEmail;
}
