/**
 * Counters for the sliding-window rate limits of the subscriber pages (see core/rate-limit). One call per
 * check: add one to the current window's counter and read the previous window's.
 */
export interface RateLimitStore {
  /**
   * Atomically adds 1 to the counter `key` (creating it at 1), keeps it until `expiresAt` (epoch seconds),
   * and returns its new value together with the value of `previousKey` (0 when absent).
   */
  hit(
    key: string,
    previousKey: string,
    expiresAt: number,
  ): Promise<{ readonly current: number; readonly previous: number }>;
}
