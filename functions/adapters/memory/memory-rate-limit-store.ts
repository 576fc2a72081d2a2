import type { RateLimitStore } from '../../ports/rate-limit-store.ts';

/**
 * Rate-limit counters in memory. Like the DynamoDB TTL, `expiresAt` is housekeeping: the window keys
 * change as time moves, so an old counter is simply never asked for again.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counts = new Map<string, number>();

  async hit(
    key: string,
    previousKey: string,
    _expiresAt: number,
  ): Promise<{ current: number; previous: number }> {
    const current = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, current);
    return { current, previous: this.#counts.get(previousKey) ?? 0 };
  }
}
