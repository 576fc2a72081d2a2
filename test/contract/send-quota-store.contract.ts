import { describe, expect, it } from 'vitest';
import type { SendQuotaStore } from '../../functions/ports/send-quota-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every SendQuotaStore does: among many senders claiming the refresh at once exactly one wins, and
 * no one wins again until the interval has passed; the quota saved is the quota read.
 */
export function describeSendQuotaStoreContract(name: string, make: MakeSubject<SendQuotaStore>): void {
  describe(`${name} (SendQuotaStore contract)`, () => {
    const store = useSubject(make);
    const quota = { maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 1_234 };

    it('lets exactly one of 100 simultaneous senders claim the refresh', async () => {
      // Act
      const claims = await Promise.all(
        Array.from({ length: 100 }, () =>
          store().claimRefresh('2026-05-01T08:00:00.000Z', '2026-05-01T07:59:00.000Z'),
        ),
      );
      // Assess
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store().get()).toEqual({ claimedAt: '2026-05-01T08:00:00.000Z' });
    });

    it('keeps the quota saved, and refuses a new claim until a minute after the last', async () => {
      // Act
      await store().save(quota, '2026-05-01T08:00:00.500Z');
      const tooSoon = await store().claimRefresh('2026-05-01T08:00:30.000Z', '2026-05-01T07:59:30.000Z');
      const later = await store().claimRefresh('2026-05-01T08:01:01.000Z', '2026-05-01T08:00:01.000Z');
      // Assess
      expect([tooSoon, later]).toEqual([false, true]);
      expect(await store().get()).toEqual({
        quota,
        fetchedAt: '2026-05-01T08:00:00.500Z',
        claimedAt: '2026-05-01T08:01:01.000Z',
      });
    });
  });
}
