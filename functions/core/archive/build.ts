import type { Post } from '../posts/post.ts';
import { archiveFeed, archiveSitemap } from './feed.ts';
import {
  type ArchiveTemplates,
  compileArchiveTemplates,
  type DigestPageInput,
  renderDigestPage,
  renderIndexPage,
  renderPostPage,
} from './pages.ts';
import { archivable, digestPagePath, indexPages, indexPath, indexUrl, postPageUrl } from './select.ts';
import type { ArchiveSite } from './site.ts';

/** One file of the static archive: its path under `archive/`, its type, and its text. */
export interface ArchiveFile {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** What a build wrote, and what it left out and why. */
export interface ArchiveBuild {
  readonly files: readonly ArchiveFile[];
  readonly posts: readonly Pick<Post, 'slug' | 'title' | 'date'>[];
  readonly left: readonly {
    readonly slug: string;
    readonly reason: 'draft' | 'archive: false' | 'older copy';
  }[];
}

const HTML = 'text/html; charset=utf-8';

/**
 * The whole static archive from a set of posts: `index.html` (and `page/N/index.html` past 50 posts),
 * `<slug>/index.html` per post, `feed.xml` and `sitemap.xml`. Pure: the caller writes the files (to a folder
 * with `tidings archive build`, to the bucket's `archive/` prefix on AWS).
 */
export function buildArchive(
  posts: readonly Post[],
  site: ArchiveSite,
  templates: ArchiveTemplates,
): ArchiveBuild {
  const compiled = compileArchiveTemplates(templates);
  const shown = archivable(posts);
  const pages = indexPages(shown);
  const files: ArchiveFile[] = [];
  pages.forEach((page, i) => {
    files.push({
      path: indexPath(i + 1),
      contentType: HTML,
      body: renderIndexPage(page, i + 1, pages.length, site, compiled),
    });
  });
  for (const post of shown) {
    files.push({
      path: `${post.slug}/index.html`,
      contentType: HTML,
      body: renderPostPage(post, site, compiled),
    });
  }
  files.push({
    path: 'feed.xml',
    contentType: 'application/rss+xml; charset=utf-8',
    body: archiveFeed(shown, site),
  });
  files.push({
    path: 'sitemap.xml',
    contentType: 'application/xml; charset=utf-8',
    body: archiveSitemap([
      ...pages.map((_, i) => ({
        loc: indexUrl(site.archiveUrl, i + 1),
        ...(shown[0] ? { lastmod: shown[0].date } : {}),
      })),
      ...shown.map((p) => ({ loc: postPageUrl(site.archiveUrl, p), lastmod: p.date })),
    ]),
  });
  const kept = new Set(shown);
  const left = posts
    .filter((p) => !kept.has(p))
    .map((p) => ({
      slug: p.slug,
      reason: p.draft
        ? ('draft' as const)
        : p.archive === false
          ? ('archive: false' as const)
          : ('older copy' as const),
    }));
  return { files, posts: shown.map((p) => ({ slug: p.slug, title: p.title, date: p.date })), left };
}

/**
 * The page of one digest (`digests/<editionId>/index.html`), in its list's language: the digest's posts
 * in the email's order, each linked to its page. A post kept off the web (`archive: false`, a draft) is
 * left out here too.
 */
export function digestPageFile(
  digest: DigestPageInput,
  site: ArchiveSite,
  templates: ArchiveTemplates,
): ArchiveFile {
  const posts = digest.posts.filter((p) => !p.draft && p.archive !== false);
  return {
    path: digestPagePath(digest.editionId),
    contentType: HTML,
    body: renderDigestPage({ ...digest, posts }, site, compileArchiveTemplates(templates)),
  };
}
