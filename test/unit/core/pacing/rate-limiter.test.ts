import { describe, expect, it } from 'vitest';
import { fullJitter } from '../../../../functions/core/pacing/backoff.ts';
import { acquireSlot, SlotQueue } from '../../../../functions/core/pacing/pacer.ts';
import { effectiveRate, RateLimiter } from '../../../../functions/core/pacing/rate-limiter.ts';

/** A fake clock where sleeping moves time, with a little lateness like real timers. */
function fakeClock(latenessMs = 0) {
  let t = 1_000_000;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms + latenessMs;
    },
  };
}

function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('RateLimiter', () => {
  it('never lets more than the rate through in any one-second window, even with late timers', async () => {
    const clock = fakeClock(1.7);
    const limiter = new RateLimiter({ ratePerSecond: 200 });
    const times: number[] = [];
    for (let i = 0; i < 4000; i++) {
      await acquireSlot(limiter, clock);
      times.push(clock.now());
    }
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(200);
    const seconds = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    expect(4000 / seconds).toBeGreaterThan(0.95 * 200);
  });

  it('keeps a slow rate: 14/s sends 14 in the first second and the 15th after it', () => {
    const limiter = new RateLimiter({ ratePerSecond: 14, burst: 14 });
    let granted = 0;
    for (let t = 0; t < 1000; t += 1) if (limiter.tryAcquire(t) === 0) granted++;
    expect(granted).toBeLessThanOrEqual(14);
    expect(granted).toBeGreaterThanOrEqual(13);
  });

  it('says how long to wait instead of granting too early', () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 1 });
    // Evenly spaced: ten grants per 1,040 ms window (its safety margin), one every 104 ms.
    expect(limiter.tryAcquire(0)).toBe(0);
    expect(limiter.tryAcquire(0)).toBe(104);
    expect(limiter.tryAcquire(100)).toBe(4);
    expect(limiter.tryAcquire(104)).toBe(0);
  });
});

describe('effectiveRate', () => {
  it('uses the lower of the configured rate and the SES quota', () => {
    expect(effectiveRate(14, 1)).toBe(1);
    expect(effectiveRate(14, 50)).toBe(14);
    expect(effectiveRate(14)).toBe(14);
  });
});

describe('fullJitter', () => {
  it('spreads retries between 0 and the capped exponential ceiling', () => {
    const policy = { baseMs: 100, capMs: 2000 };
    expect(fullJitter(3, policy, () => 0)).toBe(0);
    expect(fullJitter(3, policy, () => 0.999)).toBe(799);
    expect(fullJitter(10, policy, () => 0.5)).toBe(1000);
  });
});

describe('SlotQueue', () => {
  it('releases waiting callers one per slot, in the order they asked', async () => {
    const clock = fakeClock(0.5);
    const slots = new SlotQueue(new RateLimiter({ ratePerSecond: 10, burst: 1 }), clock);
    const start = clock.now();
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => slots.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Five slots at 10/s with a burst of one: the fifth comes at least 400 ms after the first.
    expect(clock.now() - start).toBeGreaterThanOrEqual(400);
  });
});

describe('SlotQueue with a deadline', () => {
  it('lets every waiter go at the deadline without a slot, and keeps the slots for a caller after it', async () => {
    // Prepare: 0.5 slots a second (the SES sandbox's share per sender), 80 calls waiting with one deadline.
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 0.5, burst: 1 });
    const slots = new SlotQueue(limiter, clock);
    const start = clock.now();
    const deadline = start + 10_000;
    // Act
    const answers = await Promise.all(
      Array.from({ length: 80 }, () =>
        slots.acquire(deadline).then((granted) => ({ granted, at: clock.now() })),
      ),
    );
    // Assess: the slots due before the deadline were granted, all the others ended at the deadline, not
    // 160 s later; and the refused ones took no slot, so a caller without a deadline gets the next one.
    const granted = answers.filter((a) => a.granted);
    expect(granted.length).toBeGreaterThanOrEqual(5);
    expect(granted.length).toBeLessThanOrEqual(6);
    for (const refused of answers.filter((a) => !a.granted)) expect(refused.at).toBe(deadline);
    const before = clock.now();
    expect(await slots.acquire()).toBe(true);
    expect(clock.now() - before).toBeLessThanOrEqual(2_000);
  });

  it('polls to the deadline too, and answers false without taking a token', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    expect(await acquireSlot(limiter, clock, clock.now() + 5_000)).toBe(true);
    const deadline = clock.now() + 300;
    expect(await acquireSlot(limiter, clock, deadline)).toBe(false);
    expect(clock.now()).toBe(deadline);
    expect(await acquireSlot(limiter, clock)).toBe(true);
  });
});
