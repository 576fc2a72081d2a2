import { describe, expect, it } from 'vitest';
import type { PostStore } from '../../functions/ports/post-store.ts';
import { aPost } from '../helpers/factories.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every PostStore does: versions grow with the content hash; a list's posts page in the order
 * tidings recorded them (never the author's date), and an edit does not move that time.
 */
export function describePostStoreContract(name: string, make: MakeSubject<PostStore>): void {
  describe(`${name} (PostStore contract)`, () => {
    const store = useSubject(make);

    it('stores a post once, sees an identical put as unchanged and an edit as a new version', async () => {
      // Prepare
      const post = aPost({ id: 'ep-1', date: '2026-04-01T08:00:00.000Z', contentHash: 'h1' });
      // Act
      const created = await store().put(post, ['podcast'], '2026-04-01T09:00:00.000Z');
      const same = await store().put(post, ['podcast'], '2026-04-01T10:00:00.000Z');
      const edited = await store().put(
        { ...post, title: 'Fixed title', contentHash: 'h2' },
        ['podcast'],
        '2026-04-01T11:00:00.000Z',
      );
      // Assess
      expect([created.outcome, same.outcome, edited.outcome]).toEqual(['created', 'unchanged', 'edited']);
      const stored = await store().get('ep-1');
      expect(stored).toMatchObject({
        version: 2,
        firstSeenAt: '2026-04-01T09:00:00.000Z',
        listIds: ['podcast'],
      });
      expect(stored?.post.title).toBe('Fixed title');
      expect(stored?.post.bodyHtml).toBe(post.bodyHtml);
    });

    it('gives a digest every post of its list recorded since the cursor, in the order they were stored', async () => {
      // Prepare: the author's dates run the other way from when tidings stored the posts
      for (const [id, date, lists, at] of [
        ['n-1', '2026-05-04T08:00:00.000Z', ['essays'], '2026-05-10T08:00:00.000Z'],
        ['n-2', '2026-05-03T08:00:00.000Z', ['essays', 'podcast'], '2026-05-11T08:00:00.000Z'],
        ['n-3', '2026-05-02T08:00:00.000Z', ['essays'], '2026-05-12T08:00:00.000Z'],
        ['n-4', '2026-05-01T08:00:00.000Z', ['podcast'], '2026-05-13T08:00:00.000Z'],
      ] as const) {
        await store().put(aPost({ id, date, contentHash: id }), lists, at);
      }
      // Act
      const got: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().pageByListSince('essays', '2026-05-11T08:00:00.000Z', cursor, 1);
        got.push(...page.items.map((p) => `${p.post.id}@${p.recordedAt}`));
        cursor = page.cursor;
      } while (cursor);
      // Assess
      expect(got).toEqual(['n-2@2026-05-11T08:00:00.000Z', 'n-3@2026-05-12T08:00:00.000Z']);
    });

    it('still finds a post stored after a digest with the same date as a post that went out', async () => {
      // Prepare: a (date-only front matter) went out in a digest; b, same date, is stored later
      await store().put(
        aPost({ id: 'day-a', date: '2026-07-01T00:00:00.000Z', contentHash: 'a' }),
        ['essays'],
        '2026-07-01T09:00:00.000Z',
      );
      const sent = await store().pageByListSince('essays', '2026-07-01T00:00:00.000Z', undefined, 10);
      await store().put(
        aPost({ id: 'day-b', date: '2026-07-01T00:00:00.000Z', contentHash: 'b' }),
        ['essays'],
        '2026-07-01T17:00:00.000Z',
      );
      const cursorAt = sent.items.find((p) => p.post.id === 'day-a')?.recordedAt;
      expect(cursorAt).toBe('2026-07-01T09:00:00.000Z');
      // Act
      const next = await store().pageByListSince('essays', cursorAt, undefined, 10);
      // Assess
      expect(next.items.map((p) => p.post.id)).toContain('day-b');
    });

    it('keeps when a post was recorded for a list across edits, and records a list added later then', async () => {
      // Prepare
      await store().put(
        aPost({ id: 'ed', date: '2026-08-01T00:00:00.000Z', contentHash: 'v1' }),
        ['essays'],
        '2026-08-01T10:00:00.000Z',
      );
      // Act
      await store().put(
        aPost({ id: 'ed', date: '2026-08-01T00:00:00.000Z', contentHash: 'v2' }),
        ['essays', 'podcast'],
        '2026-08-05T10:00:00.000Z',
      );
      // Assess
      const essays = await store().pageByListSince('essays', '2026-08-01T00:00:00.000Z', undefined, 10);
      const podcast = await store().pageByListSince('podcast', '2026-08-01T00:00:00.000Z', undefined, 10);
      expect(essays.items.filter((p) => p.post.id === 'ed').map((p) => [p.version, p.recordedAt])).toEqual([
        [2, '2026-08-01T10:00:00.000Z'],
      ]);
      expect(podcast.items.filter((p) => p.post.id === 'ed').map((p) => p.recordedAt)).toEqual([
        '2026-08-05T10:00:00.000Z',
      ]);
    });

    it('drops a post from a list it no longer targets', async () => {
      await store().put(
        aPost({ id: 'mv', date: '2026-06-01T00:00:00.000Z', contentHash: 'x' }),
        ['essays'],
        '2026-06-01T00:00:00Z',
      );
      await store().put(
        aPost({ id: 'mv', date: '2026-06-01T00:00:00.000Z', contentHash: 'x' }),
        ['podcast'],
        '2026-06-02T00:00:00Z',
      );
      const essays = await store().pageByListSince('essays', '2026-05-31T00:00:00.000Z', undefined, 10);
      const podcast = await store().pageByListSince('podcast', '2026-05-31T00:00:00.000Z', undefined, 10);
      const mv = (page: typeof essays) => page.items.filter((p) => p.post.id === 'mv').map((p) => p.post.id);
      expect(mv(essays)).toEqual([]);
      expect(mv(podcast)).toEqual(['mv']);
    });
  });
}
