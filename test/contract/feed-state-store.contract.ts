import { describe, expect, it } from 'vitest';
import type { FeedStateStore } from '../../functions/ports/feed-state-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every FeedStateStore does: each feed's validators, failures and pause kept apart; resume lifts
 * a pause and clears the failures.
 */
export function describeFeedStateStoreContract(name: string, make: MakeSubject<FeedStateStore>): void {
  describe(`${name} (FeedStateStore contract)`, () => {
    const store = useSubject(make);

    it('keeps the validators, failures and pause of each feed apart', async () => {
      // Prepare
      await store().put({
        feedId: 'a',
        failures: 0,
        etag: '"e1"',
        lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT',
        lastSuccessAt: '2026-03-01T10:00:00.000Z',
      });
      await store().put({
        feedId: 'b',
        failures: 3,
        lastError: 'HTTP 500',
        pausedAt: '2026-03-01T11:00:00.000Z',
      });
      // Act
      const [a, b, none] = await Promise.all([store().get('a'), store().get('b'), store().get('c')]);
      // Assess
      expect(a).toEqual({
        feedId: 'a',
        failures: 0,
        etag: '"e1"',
        lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT',
        lastSuccessAt: '2026-03-01T10:00:00.000Z',
      });
      expect(b).toEqual({
        feedId: 'b',
        failures: 3,
        lastError: 'HTTP 500',
        pausedAt: '2026-03-01T11:00:00.000Z',
      });
      expect(none).toBeUndefined();
    });

    it('lifts a pause and clears the failures, keeping the validators', async () => {
      await store().put({
        feedId: 'p',
        failures: 3,
        etag: '"e"',
        lastError: 'timeout',
        pausedAt: '2026-03-01T11:00:00.000Z',
      });

      const before = await store().resume('p');

      expect(before?.pausedAt).toBe('2026-03-01T11:00:00.000Z');
      expect(await store().get('p')).toEqual({ feedId: 'p', failures: 0, etag: '"e"' });
      expect(await store().resume('never-polled')).toBeUndefined();
    });
  });
}
