import { describe, expect, it } from 'vitest';
import type { RateLimitStore } from '../../functions/ports/rate-limit-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

const EXPIRES = 1_900_000_000;

/**
 * What every RateLimitStore does: a window's counter starts at 1 and goes up by one per hit, even
 * when hits arrive at once, and each hit reads the previous window's count (0 when there is none).
 */
export function describeRateLimitStoreContract(name: string, make: MakeSubject<RateLimitStore>): void {
  describe(`${name} (RateLimitStore contract)`, () => {
    const store = useSubject(make);

    it("counts the hits of a window from 1 and reads the previous window's count", async () => {
      // Act
      const a = await store().hit('signup:ip1:101', 'signup:ip1:100', EXPIRES);
      const b = await store().hit('signup:ip1:101', 'signup:ip1:100', EXPIRES);
      const next = await store().hit('signup:ip1:102', 'signup:ip1:101', EXPIRES);
      const otherSubject = await store().hit('signup:ip2:102', 'signup:ip2:101', EXPIRES);
      // Assess
      expect([a, b, next, otherSubject]).toEqual([
        { current: 1, previous: 0 },
        { current: 2, previous: 0 },
        { current: 1, previous: 2 },
        { current: 1, previous: 0 },
      ]);
    });

    it('gives every one of many simultaneous hits its own count', async () => {
      const hits = await Promise.all(
        Array.from({ length: 15 }, () => store().hit('signup:burst:7', 'signup:burst:6', EXPIRES)),
      );
      expect(hits.map((h) => h.current).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 15 }, (_, i) => i + 1),
      );
    });
  });
}
