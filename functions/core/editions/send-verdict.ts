// The one send-time rule: whether a planned delivery still goes out. The batch sender asks it for every
// claimed delivery, and the reconciler for every stale claim it would resend, so the two cannot drift.

/** Why a delivery is skipped at send time: a stable code, counted per reason in the edition's counters. */
export type SkipReason = 'suppressed' | 'subscriber-removed' | 'unsubscribed' | 'cadence-changed';

/** What the verdict reads of a subscriber: their membership of each list. */
export interface VerdictSubscriber {
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
  if (input.suppressed) return 'suppressed';
  if (!input.subscriber) return 'subscriber-removed';
  const membership = input.subscriber.lists[input.listId];
  if (membership?.status !== 'subscribed') return 'unsubscribed';
  if (!input.cadences.includes(membership.cadence)) return 'cadence-changed';
  return undefined;
}
