import { buildArchive, digestPageFile } from '../core/archive/build.ts';
import type { ArchiveTemplates, DigestPageInput } from '../core/archive/pages.ts';
import { archiveSite } from '../core/archive/site.ts';
import type { Config } from '../core/config/schema.ts';
import type { Post } from '../core/posts/post.ts';
import type { ArchiveObjects } from '../ports/archive-objects.ts';
import type { PostStore } from '../ports/post-store.ts';

export interface RefreshArchiveDeps {
  readonly config: Config;
  readonly posts: Pick<PostStore, 'pageByListSince'>;
  readonly archive: ArchiveObjects;
  readonly templates: () => Promise<ArchiveTemplates>;
}

/** What a refresh wrote. */
export interface ArchiveRefresh {
  readonly posts: number;
  readonly written: readonly string[];
}

/**
 * Rebuilds the web archive from every stored post (each list's posts, each post once, in its newest
 * version) and writes the index pages, the feed, the sitemap and the pages of the posts named in `changed`
 * (every page when `changed` is not given). Publish calls it after each post, so the archive follows the
 * published posts; a post page is whole and token-free (core/archive).
 */
export async function refreshArchive(
  deps: RefreshArchiveDeps,
  changed?: readonly string[],
): Promise<ArchiveRefresh> {
  const byId = new Map<string, { post: Post; version: number }>();
  for (const list of deps.config.lists) {
    let cursor: string | undefined;
    do {
      const page = await deps.posts.pageByListSince(list.id, undefined, cursor, 100);
      for (const stored of page.items) {
        const seen = byId.get(stored.post.id);
        if (!seen || seen.version < stored.version)
          byId.set(stored.post.id, { post: stored.post, version: stored.version });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  const posts = [...byId.values()].map((v) => v.post);
  const build = buildArchive(posts, archiveSite(deps.config), await deps.templates());
  const slugs = changed
    ? new Set(posts.filter((p) => changed.includes(p.id)).map((p) => `${p.slug}/index.html`))
    : undefined;
  const files = build.files.filter(
    (f) => !slugs || !f.path.endsWith('/index.html') || f.path.startsWith('page/') || slugs.has(f.path),
  );
  await deps.archive.write(files);
  return { posts: build.posts.length, written: files.map((f) => f.path) };
}

/**
 * Writes a digest's page (`digests/<editionId>/index.html`), where its email's "View in browser" goes. The
 * digest calls it before the edition is planned, so the link works from the first message sent; writing
 * it again (a retried digest) writes the same page.
 */
export async function writeDigestPage(
  deps: Pick<RefreshArchiveDeps, 'config' | 'archive' | 'templates'>,
  digest: DigestPageInput,
): Promise<string> {
  const file = digestPageFile(digest, archiveSite(deps.config), await deps.templates());
  await deps.archive.write([file]);
  return file.path;
}
