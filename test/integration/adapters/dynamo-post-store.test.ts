import { describe, expect, it } from 'vitest';
import { DynamoPostStore } from '../../../functions/adapters/aws/dynamo-post-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aPost } from '../../helpers/factories.ts';

const env = useEmulators();
const store = () => new DynamoPostStore({ doc: env().clients.doc, tableName: env().tableName });

describe('DynamoPostStore', () => {
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

  it('gives a digest every post of its list strictly after the cursor, oldest first', async () => {
    // Prepare
    for (const [id, date, lists] of [
      ['n-1', '2026-05-01T08:00:00.000Z', ['essays']],
      ['n-2', '2026-05-02T08:00:00.000Z', ['essays', 'podcast']],
      ['n-3', '2026-05-03T08:00:00.000Z', ['essays']],
      ['n-4', '2026-05-04T08:00:00.000Z', ['podcast']],
    ] as const) {
      await store().put(aPost({ id, date, contentHash: id }), lists, date);
    }
    // Act
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store().pageByListSince('essays', '2026-05-01T08:00:00.000Z', cursor, 1);
      ids.push(...page.items.map((p) => p.post.id));
      cursor = page.cursor;
    } while (cursor);
    // Assess
    expect(ids).toEqual(['n-2', 'n-3']);
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
    expect(essays.items.map((p) => p.post.id)).toEqual([]);
    expect(podcast.items.map((p) => p.post.id)).toEqual(['mv']);
  });
});
