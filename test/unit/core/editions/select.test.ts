import { describe, expect, it } from 'vitest';
import { distinctBy, toBatches } from '../../../../functions/core/editions/batches.ts';
import { isEditionComplete } from '../../../../functions/core/editions/progress.ts';
import {
  decidePublish,
  nextDigestCursor,
  selectDigestPosts,
} from '../../../../functions/core/editions/select.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';

const lists = [{ id: 'podcast' }, { id: 'essays' }];
const makePost = (over: Partial<Post> = {}): Post => ({
  id: 'ep-42',
  slug: 'ep-42',
  title: 'Episode 42',
  authors: [],
  date: '2026-11-20T08:00:00Z',
  url: 'https://example.com/ep-42',
  bodyHtml: '<p>Hi</p>',
  excerpt: 'Hi',
  tags: [],
  media: [],
  send: 'instant',
  draft: false,
  contentHash: 'h1',
  warnings: [],
  ...over,
});

describe('decidePublish', () => {
  it('makes one instant edition per list when the post targets every list', () => {
    const decisions = decidePublish(makePost(), lists);
    expect(decisions.map((d) => [d.listId, d.action])).toEqual([
      ['podcast', 'send'],
      ['essays', 'send'],
    ]);
  });

  it('sends only to the lists in the front matter', () => {
    expect(decidePublish(makePost({ lists: ['essays'] }), lists).map((d) => d.listId)).toEqual(['essays']);
  });

  it('sends nothing for drafts and send: never, and only queues send: digest for digests', () => {
    expect(decidePublish(makePost({ draft: true }), lists).every((d) => d.action === 'skip')).toBe(true);
    expect(decidePublish(makePost({ send: 'never' }), lists).every((d) => d.action === 'skip')).toBe(true);
    expect(decidePublish(makePost({ send: 'digest' }), lists).every((d) => d.action === 'digest-only')).toBe(
      true,
    );
  });

  it('refuses --list for a list the post does not target, naming the lists it does', () => {
    expect(() => decidePublish(makePost({ lists: ['podcast'] }), lists, 'essays')).toThrow(
      /does not target list "essays"/,
    );
    expect(() => decidePublish(makePost(), lists, 'nope')).toThrow(/no such list/);
  });
});

describe('selectDigestPosts', () => {
  // A post dated `date` by its author and first stored by tidings at `recordedAt` (the date by default).
  const c = (id: string, date: string, over: object = {}) => ({
    id,
    contentHash: `h-${id}`,
    date,
    recordedAt: date,
    send: 'instant' as const,
    draft: false,
    ...over,
  });

  it('takes every post recorded since the cursor, newest first, leaving out drafts and send: never', () => {
    const picked = selectDigestPosts(
      [
        c('old', '2026-11-01T00:00:00.000Z'),
        c('a', '2026-11-10T00:00:00.000Z'),
        c('b', '2026-11-12T00:00:00.000Z'),
        c('draft', '2026-11-12T00:00:00.000Z', { draft: true }),
        c('never', '2026-11-12T00:00:00.000Z', { send: 'never' }),
      ],
      { lastDigestAt: '2026-11-01T00:00:00.000Z', postIds: ['old'] },
    );
    expect(picked.map((p) => p.id)).toEqual(['b', 'a']);
  });

  it('finds nothing new right after a digest moved the cursor', () => {
    const posts = [c('a', '2026-11-10T00:00:00.000Z'), c('b', '2026-11-10T00:00:00.000Z')];
    const cursor = nextDigestCursor(selectDigestPosts(posts));
    expect(cursor).toEqual({ lastDigestAt: '2026-11-10T00:00:00.000Z', postIds: ['a', 'b'] });
    expect(selectDigestPosts(posts, cursor)).toEqual([]);
  });

  it('sends a post dated like one already sent, a backdated post and an undated feed item once each', () => {
    // Prepare: post a went out in a digest; b has a's date-only date; c is backdated; d had no date
    const a = c('a', '2026-11-10T00:00:00.000Z', { recordedAt: '2026-11-10T09:00:00.000Z' });
    const first = selectDigestPosts([a]);
    const cursor = nextDigestCursor(first);
    const later = [
      a,
      c('b', '2026-11-10T00:00:00.000Z', { recordedAt: '2026-11-10T18:00:00.000Z' }),
      c('c', '2025-01-01T00:00:00.000Z', { recordedAt: '2026-11-11T08:00:00.000Z' }),
      c('d', '1970-01-01T00:00:00.000Z', { recordedAt: '2026-11-11T09:00:00.000Z' }),
    ];
    // Act
    const second = selectDigestPosts(later, cursor);
    const third = selectDigestPosts(later, nextDigestCursor(second, cursor, later));
    // Assess
    expect(second.map((p) => p.id)).toEqual(['b', 'c', 'd']);
    expect(third).toEqual([]);
  });

  it('still sends a post that showed up late with a time just before the cursor, and no post twice', () => {
    // Prepare: a digest carried x (recorded 10:00); y, recorded 09:59:30, became visible only afterwards
    const x = c('x', '2026-11-10T10:00:00.000Z');
    const cursor = nextDigestCursor(selectDigestPosts([x]));
    const y = c('y', '2026-11-10T09:59:30.000Z');
    // Act
    const next = selectDigestPosts([y, x], cursor);
    const after = nextDigestCursor(next, cursor, [y, x]);
    // Assess
    expect(next.map((p) => p.id)).toEqual(['y']);
    expect(after).toEqual({ lastDigestAt: '2026-11-10T10:00:00.000Z', postIds: ['x', 'y'] });
    expect(selectDigestPosts([y, x], after)).toEqual([]);
  });
});

describe('toBatches / distinctBy', () => {
  it('splits 120 recipients into 3 batches of at most 50', () => {
    const batches = toBatches(Array.from({ length: 120 }, (_, i) => i));
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('never makes a batch larger than 50, whatever is asked', () => {
    expect(
      toBatches(
        Array.from({ length: 120 }, (_, i) => i),
        500,
      ).map((b) => b.length),
    ).toEqual([50, 50, 20]);
  });

  it('keeps one entry per subscriber across pages', () => {
    const seen = new Set<string>();
    const first = distinctBy([{ id: 'a' }, { id: 'b' }], (x) => x.id, seen);
    const second = distinctBy([{ id: 'b' }, { id: 'c' }, { id: 'c' }], (x) => x.id, seen);
    expect([...first, ...second].map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('isEditionComplete', () => {
  it('is complete only when planning is done and every planned delivery has an outcome', () => {
    const totals = { planned: 10, sent: 7, failed: 1, skipped: 2 };
    expect(isEditionComplete(totals, false)).toBe(false);
    expect(isEditionComplete(totals, true)).toBe(true);
    expect(isEditionComplete({ ...totals, sent: 6 }, true)).toBe(false);
  });
});
