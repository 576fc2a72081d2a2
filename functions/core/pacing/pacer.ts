import type { RateLimiter } from './rate-limiter.ts';

/** The clock a pacer waits on; injected so tests run on fake time. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits until the limiter grants a send slot. Several senders in flight share one limiter, so they
 * share the pace.
 */
export async function acquireSlot(limiter: RateLimiter, clock: PacerClock): Promise<void> {
  for (;;) {
    const wait = limiter.tryAcquire(clock.now());
    if (wait === 0) return;
    await clock.sleep(wait);
  }
}
