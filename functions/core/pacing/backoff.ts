/** How retries after throttling spread out. */
export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  readonly baseMs: number;
  /** No retry waits longer than this. */
  readonly capMs: number;
}

/** Retries of a throttled send inside one batch: short, because the rest of the batch goes back to the queue. */
export const SEND_BACKOFF: BackoffPolicy = { baseMs: 100, capMs: 2_000 };

/**
 * "Full jitter" backoff: a uniformly random wait between 0 and min(cap, base × 2^attempt). Senders that
 * were throttled together spread out instead of retrying in lockstep. `random` is injected (returns
 * [0, 1)), so this stays pure and testable.
 *
 * @example
 * fullJitter(3, { baseMs: 100, capMs: 2000 }, Math.random) // somewhere in [0, 800)
 */
export function fullJitter(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
