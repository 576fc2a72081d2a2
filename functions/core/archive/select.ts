import type { Post } from '../posts/post.ts';

/**
 * The posts the web archive shows, newest first: never a draft, nor a post whose front matter says
 * `archive: false`; a `send: never` post is archive-only, so it is there. One post per slug: when two
 * sources give the same slug, the newer post wins (an edited copy replaces the old one).
 *
 * @example
 * archivable([draft, essay, note]).map((p) => p.slug) // ['note', 'essay']
 */
export function archivable(posts: readonly Post[]): Post[] {
  const bySlug = new Map<string, Post>();
  for (const post of posts) {
    if (post.draft || post.archive === false) continue;
    const seen = bySlug.get(post.slug);
    if (!seen || seen.date <= post.date) bySlug.set(post.slug, post);
  }
  return [...bySlug.values()].sort((a, b) =>
    a.date === b.date ? a.slug.localeCompare(b.slug) : a.date < b.date ? 1 : -1,
  );
}

/** How many posts one index page lists; past that the index is paginated. */
export const POSTS_PER_INDEX_PAGE = 50;

/** The archive's pages of posts: `[[newest 50], [next 50], …]`, at least one (maybe empty) page. */
export function indexPages(posts: readonly Post[]): Post[][] {
  const pages: Post[][] = [];
  for (let i = 0; i < posts.length; i += POSTS_PER_INDEX_PAGE)
    pages.push(posts.slice(i, i + POSTS_PER_INDEX_PAGE));
  return pages.length ? pages : [[]];
}

/** The path of index page `n` (1-based) under the archive: `index.html`, `page/2/index.html`, … */
export function indexPath(n: number): string {
  return n === 1 ? 'index.html' : `page/${n}/index.html`;
}

/** The public URL of index page `n`, for links between pages. */
export function indexUrl(archiveUrl: string, n: number): string {
  return n === 1 ? `${archiveUrl}/` : `${archiveUrl}/page/${n}/`;
}

/** The public URL of a post's archive page. */
export function postPageUrl(archiveUrl: string, post: Pick<Post, 'slug'>): string {
  return `${archiveUrl}/${encodeURIComponent(post.slug)}/`;
}

/** The path of a digest's page under the archive: `digests/<editionId>/index.html`. */
export function digestPagePath(editionId: string): string {
  return `digests/${encodeURIComponent(editionId)}/index.html`;
}

/**
 * The public URL of a digest's page, where its email's "View in browser" goes.
 *
 * @example
 * digestPageUrl('https://news.example.com/archive', 'essays-weekly-3f9a1c2b7d4e')
 * // 'https://news.example.com/archive/digests/essays-weekly-3f9a1c2b7d4e/'
 */
export function digestPageUrl(archiveUrl: string, editionId: string): string {
  return `${archiveUrl}/digests/${encodeURIComponent(editionId)}/`;
}
