/**
 * The send pace: at most `ratePerSecond` messages in ANY one-second window as SES receives them, and
 * close to that rate on average (≥ 95 %). Pure: the caller passes the time in; nothing here sleeps or
 * reads a clock.
 *
 * Two rules, both checked on every grant:
 * 1. a token bucket that spreads the grants evenly, one every `windowMs / ratePerSecond` ms (5.2 ms at
 *    200/s), with a small burst that lets a caller that woke up late catch up (timers fire late; without
 *    it the average rate sags);
 * 2. a sliding window over the last `ratePerSecond` grants: a grant is refused until the grant that
 *    many places back is at least `windowMs` old. The bucket alone allows burst + rate in one window;
 *    this rule makes "never over the rate in any window of `windowMs`" hold exactly.
 *
 * The window is a little longer than a second (1,040 ms): a message reaches SES some milliseconds after
 * its grant (building, signing, the socket), and that delay varies. If at most N grants fall in any
 * 1,040 ms, then at most N arrivals fall in any 1,000 ms as long as the delays vary by less than 40 ms.
 * The bench measured 201 arrivals in one second with a 20 ms margin on a loaded machine; 40 ms costs
 * 3.8 % of the peak rate (192/s at 200/s).
 *
 * @example
 * const limiter = new RateLimiter({ ratePerSecond: 14 });
 * const wait = limiter.tryAcquire(Date.now()); // 0: go now; otherwise try again in `wait` ms
 */
export class RateLimiter {
  readonly ratePerSecond: number;
  private readonly intervalMs: number;
  private readonly capacity: number;
  private readonly windowMs: number;
  private tokens: number;
  private last: number | undefined;
  /** Ring of the last `slots` grant times. */
  private readonly grants: Float64Array;
  private readonly slots: number;
  private head = 0;
  private count = 0;

  constructor(options: {
    readonly ratePerSecond: number;
    /** Tokens the bucket may hold; default a fiftieth of a second's worth (at least 1): small bursts keep the arrival times at SES even. */
    readonly burst?: number;
    /**
     * The window the hard cap is measured over. A little over one second (default 1,040 ms) absorbs the
     * jitter between taking a slot and SES receiving the call, so SES never sees more than the rate in
     * one second; it costs 3.8 % of the peak rate.
     */
    readonly windowMs?: number;
  }) {
    // Clamp: a rate below one message per minute is a misconfiguration, not a pace.
    this.ratePerSecond = Math.max(1 / 60, options.ratePerSecond);
    this.windowMs = options.windowMs ?? 1040;
    // Evenly spaced: exactly `rate` grants per window, so the window rule only binds after a catch-up.
    this.intervalMs = this.windowMs / this.ratePerSecond;
    this.capacity = Math.max(1, options.burst ?? this.ratePerSecond / 50);
    this.tokens = 1;
    this.slots = Math.max(1, Math.floor(this.ratePerSecond));
    this.grants = new Float64Array(this.slots);
  }

  /**
   * Takes one send slot at `nowMs` if the pace allows it and returns 0; otherwise takes nothing and
   * returns how many milliseconds to wait before asking again (always > 0).
   */
  tryAcquire(nowMs: number): number {
    if (this.last !== undefined && nowMs > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (nowMs - this.last) / this.intervalMs);
    }
    if (this.last === undefined || nowMs > this.last) this.last = nowMs;
    if (this.tokens < 1) return Math.max(1, Math.ceil((1 - this.tokens) * this.intervalMs));
    if (this.count === this.slots) {
      const oldest = this.grants[this.head] ?? 0;
      const freeAt = oldest + this.windowMs;
      if (nowMs < freeAt) return Math.max(1, Math.ceil(freeAt - nowMs));
    }
    this.tokens -= 1;
    this.grants[this.head] = nowMs;
    this.head = (this.head + 1) % this.slots;
    if (this.count < this.slots) this.count += 1;
    return 0;
  }
}

/**
 * The rate to send at: the lower of the configured rate and the MaxSendRate SES reports
 * (GetSendQuota), when it reported one. SES drops (does not queue) a message over its rate.
 */
export function effectiveRate(configuredMaxRate: number, sesMaxSendRate?: number): number {
  if (sesMaxSendRate === undefined || !Number.isFinite(sesMaxSendRate) || sesMaxSendRate <= 0) {
    return configuredMaxRate;
  }
  return Math.min(configuredMaxRate, sesMaxSendRate);
}
