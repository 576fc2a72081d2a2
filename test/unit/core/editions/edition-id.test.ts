import { describe, expect, it } from 'vitest';
import { deliveryId, editionId, editionKey } from '../../../../functions/core/editions/edition-id.ts';

const post = (id: string, contentHash: string) => ({ id, contentHash });

describe('editionId', () => {
  it('gives the same edition for the same list, kind and posts, whatever their order', () => {
    const a = editionId({
      listId: 'essays',
      kind: 'digest',
      cadence: 'weekly',
      posts: [post('a', '1'), post('b', '2')],
    });
    const b = editionId({
      listId: 'essays',
      kind: 'digest',
      cadence: 'weekly',
      posts: [post('b', '2'), post('a', '1')],
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^essays-weekly-[0-9a-f]{12}$/);
  });

  it('gives an edited post (new content hash) a new edition but the same key', () => {
    const before = {
      listId: 'podcast',
      kind: 'publish',
      cadence: 'instant',
      posts: [post('ep-42', 'aaa')],
    } as const;
    const after = { ...before, posts: [post('ep-42', 'bbb')] };
    expect(editionId(after)).not.toBe(editionId(before));
    expect(editionKey(after)).toBe(editionKey(before));
  });

  it('keeps lists, cadences and kinds apart', () => {
    const posts = [post('x', '1')];
    const ids = new Set([
      editionId({ listId: 'podcast', kind: 'publish', cadence: 'instant', posts }),
      editionId({ listId: 'essays', kind: 'publish', cadence: 'instant', posts }),
      editionId({ listId: 'essays', kind: 'digest', cadence: 'daily', posts }),
      editionId({ listId: 'essays', kind: 'digest', cadence: 'weekly', posts }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('derives one delivery id per edition and subscriber', () => {
    expect(deliveryId('podcast-instant-0123456789ab', 's_1')).toBe('podcast-instant-0123456789ab_s_1');
  });
});
