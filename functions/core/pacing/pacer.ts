import type { RateLimiter } from './rate-limiter.ts';

/** The clock a pacer waits on; injected so tests run on fake time. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits until the limiter grants a send slot. Several senders in flight share one limiter, so they
 * share the pace. Prefer `SlotQueue` when many callers wait at once: this polls.
 */
export async function acquireSlot(limiter: RateLimiter, clock: PacerClock): Promise<void> {
  for (;;) {
    const wait = limiter.tryAcquire(clock.now());
    if (wait === 0) return;
    await clock.sleep(wait);
  }
}

/**
 * Hands out the limiter's slots to waiting callers in arrival order, with one timer for all of them.
 * With dozens of calls in flight, each polling on its own timer would wake them all at every slot and
 * delay the one that got it; here exactly one caller is released per slot, at the slot.
 */
export class SlotQueue {
  private readonly waiting: (() => void)[] = [];
  private timer = false;
  private readonly limiter: RateLimiter;
  private readonly clock: PacerClock;

  constructor(limiter: RateLimiter, clock: PacerClock) {
    this.limiter = limiter;
    this.clock = clock;
  }

  /** Resolves when this caller may send. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.timer) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.timer = true;
    try {
      while (this.waiting.length > 0) {
        const wait = this.limiter.tryAcquire(this.clock.now());
        if (wait === 0) this.waiting.shift()?.();
        else await this.clock.sleep(wait);
      }
    } finally {
      this.timer = false;
    }
  }
}
