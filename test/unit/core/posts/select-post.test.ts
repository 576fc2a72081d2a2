import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../functions/core/errors.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { selectPost } from '../../../../functions/core/posts/select-post.ts';

const post = (slug: string, date: string): Post => ({
  id: `https://example.com/p/${slug}`,
  slug,
  title: slug,
  authors: [],
  date,
  url: `https://example.com/p/${slug}`,
  bodyHtml: '<p>x</p>',
  excerpt: 'x',
  tags: [],
  media: [],
  send: 'instant',
  draft: false,
  contentHash: 'sha256:0',
  warnings: [],
});
// Out of date order on purpose: a feed is not always sorted.
const posts = [
  post('middle', '2026-02-01T00:00:00Z'),
  post('newest', '2026-03-01T00:00:00Z'),
  post('oldest', '2026-01-01T00:00:00Z'),
];

describe('selectPost', () => {
  it('takes the newest post when no post is named', () => {
    expect(selectPost(posts).slug).toBe('newest');
  });

  it('finds a post by id, by slug, or by its number counting from the newest', () => {
    expect(selectPost(posts, 'https://example.com/p/oldest').slug).toBe('oldest');
    expect(selectPost(posts, 'middle').slug).toBe('middle');
    expect(selectPost(posts, '1').slug).toBe('newest');
    expect(selectPost(posts, '3').slug).toBe('oldest');
  });

  it('says which posts exist when none matches', () => {
    expect(() => selectPost(posts, 'nope', { source: 'feed.xml' })).toThrow(
      new NotFoundError(
        'POST_NOT_FOUND',
        'no post "nope" in feed.xml; use an id, a slug or a number: 1 newest, 2 middle, 3 oldest',
      ),
    );
    expect(() => selectPost(posts, '4')).toThrow(/no post "4"; use an id, a slug or a number/);
  });

  it('says so when there are no posts at all', () => {
    expect(() => selectPost([], undefined, { source: 'empty.xml' })).toThrow('no posts in empty.xml');
  });
});
