// What a batch checks at send time, read in bulk: its recipients' subscriptions and suppressions.
import type { SendRecipient } from '../../ports/send-queue.ts';
import type { Subscriber } from '../../ports/subscriber-store.ts';
import type { SendBatchDeps } from './types.ts';

/**
 * How old the send-time snapshot of a batch's subscriptions and suppressions may get before it is read
 * again. A paced batch of 50 takes seconds (7 s at 7/s, 50 s in the SES sandbox): an unsubscribe or a
 * complaint that lands meanwhile must stop the messages after it, not only the next batch.
 */
export const SEND_CHECK_MAX_AGE_MS = 2_000;

/** A batch's subscriptions and suppressions at one moment. */
export interface SendTimeSnapshot {
  readonly subscribers: ReadonlyMap<string, Subscriber>;
  readonly suppressed: ReadonlyMap<string, unknown>;
}

/** The batch's subscriptions and suppressions, read in two batch calls and again once older than the limit. */
export function sendTimeChecks(
  deps: Pick<SendBatchDeps, 'subscribers' | 'suppressions' | 'clock'>,
  recipients: readonly SendRecipient[],
): { current(): Promise<SendTimeSnapshot> } {
  let snapshot: Promise<SendTimeSnapshot> | undefined;
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
