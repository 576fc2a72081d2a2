import { NotFoundError } from '../errors.ts';
import type { Post } from './post.ts';

/**
 * Orders posts newest first (by date; ties keep their source order). This is the order `selectPost`
 * counts in, so `1` is the newest post.
 */
export function newestFirst(posts: readonly Post[]): Post[] {
  return posts
    .map((post, index) => ({ post, index, time: Date.parse(post.date) }))
    .sort((a, b) => (b.time || 0) - (a.time || 0) || a.index - b.index)
    .map((entry) => entry.post);
}

/**
 * Picks one post by its id, its slug, or its 1-based position among the posts newest first; with no
 * `ref`, the newest post.
 *
 * @param source names where the posts came from, for the error message.
 * @throws NotFoundError listing what is available when nothing matches or there are no posts.
 * @example
 * selectPost(posts)          // the newest
 * selectPost(posts, '2')     // the second newest
 * selectPost(posts, 'ep-42') // by slug or id
 */
export function selectPost(posts: readonly Post[], ref?: string, opts: { source?: string } = {}): Post {
  const where = opts.source ? ` in ${opts.source}` : '';
  const ordered = newestFirst(posts);
  if (ordered.length === 0)
    throw new NotFoundError('NO_POSTS', `no posts${where}: the source holds no post or item`);
  const wanted = ref?.trim();
  if (!wanted) return ordered[0] as Post;
  const found =
    ordered.find((p) => p.id === wanted) ??
    ordered.find((p) => p.slug === wanted) ??
    (/^\d+$/.test(wanted) ? ordered[Number(wanted) - 1] : undefined);
  if (found) return found;
  const shown = ordered.slice(0, 10).map((p, i) => `${i + 1} ${p.slug}`);
  const more = ordered.length > 10 ? `, … (${ordered.length} in all)` : '';
  throw new NotFoundError(
    'POST_NOT_FOUND',
    `no post "${wanted}"${where}; use an id, a slug or a number: ${shown.join(', ')}${more}`,
  );
}
