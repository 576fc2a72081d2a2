import { describe, expect, it } from 'vitest';
import type { ListCursorStore } from '../../functions/ports/list-cursor-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every ListCursorStore does: a digest cursor moves only from the value the caller read; seen feed
 * items are remembered per feed with their content hash.
 */
export function describeListCursorStoreContract(name: string, make: MakeSubject<ListCursorStore>): void {
  describe(`${name} (ListCursorStore contract)`, () => {
    const store = useSubject(make);

    it('moves a digest cursor only from the value the caller read', async () => {
      // Prepare
      const first = {
        listId: 'essays',
        cadence: 'weekly' as const,
        lastDigestAt: '2026-04-01T00:00:00.000Z',
        postIds: ['a'],
        updatedAt: '2026-04-01T00:00:00.000Z',
      };
      // Act
      const created = await store().advance(first, undefined);
      const createdAgain = await store().advance(first, undefined);
      const moved = await store().advance(
        { ...first, lastDigestAt: '2026-04-08T00:00:00.000Z', postIds: ['b'] },
        first.lastDigestAt,
      );
      const stale = await store().advance(
        { ...first, lastDigestAt: '2026-04-09T00:00:00.000Z' },
        first.lastDigestAt,
      );
      // Assess
      expect([created, createdAgain, moved, stale]).toEqual([true, false, true, false]);
      expect(await store().get('essays', 'weekly')).toMatchObject({
        lastDigestAt: '2026-04-08T00:00:00.000Z',
        postIds: ['b'],
      });
      expect(await store().get('essays', 'daily')).toBeUndefined();
    });

    it('remembers which feed items were seen, with their content hash', async () => {
      await store().markSeen('main', [
        { guid: 'https://example.com/ep/1', contentHash: 'h1', seenAt: '2026-04-01T00:00:00Z' },
        { guid: 'https://example.com/ep/2', contentHash: 'h2', seenAt: '2026-04-01T00:00:00Z' },
      ]);
      await store().markSeen('main', [
        { guid: 'https://example.com/ep/2', contentHash: 'h2b', seenAt: '2026-04-02T00:00:00Z' },
      ]);
      const seen = await store().getSeen('main', [
        'https://example.com/ep/1',
        'https://example.com/ep/2',
        'https://example.com/ep/3',
      ]);
      expect(Object.fromEntries([...seen].map(([g, s]) => [g, s.contentHash]))).toEqual({
        'https://example.com/ep/1': 'h1',
        'https://example.com/ep/2': 'h2b',
      });
      expect((await store().getSeen('other', ['https://example.com/ep/1'])).size).toBe(0);
    });
  });
}
