import { XMLBuilder } from 'fast-xml-parser';
import { generateRssFeed } from 'feedsmith';
import type { Post } from '../posts/post.ts';
import { postPageUrl } from './select.ts';
import { type ArchiveSite, siteWords } from './site.ts';
import { webBody } from './web-body.ts';

/** How many posts the archive's feed carries, newest first (readers poll it; the index has them all). */
export const FEED_ITEMS = 50;

/**
 * The archive's RSS 2.0 feed (feedsmith's generator): each post's whole web body as `content:encoded`,
 * its enclosure, and a guid that is the post's id, so a reader never sees a post twice.
 */
export function archiveFeed(posts: readonly Post[], site: ArchiveSite): string {
  const i18n = siteWords(site);
  return generateRssFeed({
    title: site.name,
    link: `${site.archiveUrl}/`,
    description: i18n.t('archive.feedDescription', { site: site.name }),
    language: site.lang,
    ...(posts[0] ? { lastBuildDate: new Date(posts[0].date) } : {}),
    atom: { links: [{ href: `${site.archiveUrl}/feed.xml`, rel: 'self', type: 'application/rss+xml' }] },
    items: posts.slice(0, FEED_ITEMS).map((post) => {
      const { lead, body } = webBody(post, i18n);
      const enclosure = post.media.find((m) => m.provider === 'enclosure' || m.provider === 'front-matter');
      return {
        title: post.title,
        link: post.urlFromSlug ? postPageUrl(site.archiveUrl, post) : post.url,
        guid: { value: post.id, isPermaLink: false },
        pubDate: new Date(post.date),
        description: post.subtitle ?? post.excerpt,
        ...(post.authors.length ? { dc: { creators: [...post.authors] } } : {}),
        ...(post.tags.length ? { categories: post.tags.map((name) => ({ name })) } : {}),
        content: { encoded: `${lead}${body}` },
        ...(enclosure
          ? {
              enclosures: [
                { url: enclosure.url, length: 0, type: enclosure.type ?? defaultType(enclosure.kind) },
              ],
            }
          : {}),
      };
    }),
  });
}

function defaultType(kind: 'audio' | 'video'): string {
  return kind === 'audio' ? 'audio/mpeg' : 'video/mp4';
}

/** The archive's sitemap (sitemaps.org 0.9): the index pages and every post page, with the post's date. */
export function archiveSitemap(urls: readonly { readonly loc: string; readonly lastmod?: string }[]): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({
    urlset: {
      '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9',
      url: urls.map((u) => ({ loc: u.loc, ...(u.lastmod ? { lastmod: u.lastmod.slice(0, 10) } : {}) })),
    },
  })}`;
}
