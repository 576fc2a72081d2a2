import type { RateLimiter } from './rate-limiter.ts';

/** The clock a pacer waits on; injected so tests run on fake time. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits until the limiter grants a send slot. Several senders in flight share one limiter, so they
 * share the pace. Prefer `SlotQueue` when many callers wait at once: this polls. With a `deadline`
 * (on the clock's time), resolves false once it passes without a slot, taking no token; else true.
 */
export async function acquireSlot(
  limiter: RateLimiter,
  clock: PacerClock,
  deadline?: number,
): Promise<boolean> {
  for (;;) {
    const now = clock.now();
    if (deadline !== undefined && now >= deadline) return false;
    const wait = limiter.tryAcquire(now);
    if (wait === 0) return true;
    await clock.sleep(deadline === undefined ? wait : Math.max(1, Math.min(wait, deadline - now)));
  }
}

/**
 * Hands out the limiter's slots to waiting callers in arrival order, with one timer for all of them.
 * With dozens of calls in flight, each polling on its own timer would wake them all at every slot and
 * delay the one that got it; here exactly one caller is released per slot, at the slot. A caller with a
 * deadline that passes while it waits is let go at the deadline with `false`, taking no slot: a send
 * invocation near its timeout hands its claimed deliveries back at once instead of waiting out the queue
 * (80 waiters at 0.5/s would otherwise take 160 s).
 */
export class SlotQueue {
  private waiting: { readonly resolve: (granted: boolean) => void; readonly deadline: number }[] = [];
  private timer = false;
  private readonly limiter: RateLimiter;
  private readonly clock: PacerClock;

  constructor(limiter: RateLimiter, clock: PacerClock) {
    this.limiter = limiter;
    this.clock = clock;
  }

  /** Resolves true when this caller may send, or false when `deadline` passed first. */
  acquire(deadline: number = Number.POSITIVE_INFINITY): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve, deadline });
      if (!this.timer) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.timer = true;
    try {
      while (this.waiting.length > 0) {
        const now = this.clock.now();
        const expired = this.waiting.filter((w) => w.deadline <= now);
        if (expired.length > 0) {
          this.waiting = this.waiting.filter((w) => w.deadline > now);
          for (const w of expired) w.resolve(false);
          continue;
        }
        const wait = this.limiter.tryAcquire(now);
        if (wait === 0) {
          this.waiting.shift()?.resolve(true);
          continue;
        }
        const soonest = Math.min(...this.waiting.map((w) => w.deadline));
        await this.clock.sleep(Math.max(1, Math.min(wait, soonest - now)));
      }
    } finally {
      this.timer = false;
    }
  }
}
