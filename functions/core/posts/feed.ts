import { XMLValidator } from 'fast-xml-parser';
import {
  detectAtomFeed,
  detectJsonFeed,
  detectRdfFeed,
  detectRssFeed,
  parseFeed as parseAnyFeed,
  type RssFeed,
} from 'feedsmith';
import { InvalidInputError } from '../errors.ts';
import { excerptFromHtml, normalizeBody } from './body.ts';
import { contentHash } from './content-hash.ts';
import { atomItems, htmlText, jsonItems, type RawItem, rssItems, textToHtml } from './feed-items.ts';
import { podcastDetails } from './podcast.ts';
import type { Media, Post } from './post.ts';
import {
  IMAGE_SCHEMES,
  oneLine,
  RESERVED_SLUGS,
  safeUrl,
  slugify,
  truncateAtWord,
  WEB_SCHEMES,
} from './text.ts';
import { WarningCollector } from './warnings.ts';

/** Where a feed comes from, for error messages and for resolving relative links. */
export interface ParseFeedOptions {
  /** The file name or URL the text was read from. Errors name it; an http(s) URL is also a base for links. */
  readonly source: string;
  /**
   * The site's URL (config `site.url`): where an item with no link of its own points when the feed has no
   * site link either. Without it, such an item falls back to an http(s) feed URL.
   */
  readonly siteUrl?: string;
}

/**
 * Parses an RSS 2.0, Atom 1.0 or JSON Feed 1.1 document (with the content:, itunes:, media: and dc:
 * namespaces) into posts, in the feed's order. Each item is normalized like a Markdown post: sanitized,
 * embeds turned into media cards, relative URLs resolved against the item's link. The guid (Atom id, JSON
 * Feed id) is the post id, with the link as fallback; `contentHash` changes when an item is edited.
 *
 * @throws InvalidInputError with one line naming the source: `not a feed`, `XML error at line N: …`, or
 *   `not a JSON Feed`.
 * @example
 * parseFeed(xml, { source: 'https://example.com/feed.xml' }).map((p) => p.title)
 */
export function parseFeed(text: string, opts: ParseFeedOptions): Post[] {
  const source = opts.source;
  const body = text.replace(/^\uFEFF/, '').trimStart();
  const sourceBase = safeUrl(source, 'invalid:/', IMAGE_SCHEMES);

  if (body.startsWith('{') || body.startsWith('[')) return parseJson(body, opts, sourceBase);
  if (!body.startsWith('<')) throw notAFeed(source, 'it is neither XML nor JSON');
  if (!detectRssFeed(body) && !detectAtomFeed(body) && !detectRdfFeed(body)) {
    throw notAFeed(
      source,
      /<html[\s>]/i.test(body) ? 'it is an HTML page' : 'no <rss>, <feed> or <rdf:RDF> root',
    );
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new InvalidInputError(
      'FEED_XML_ERROR',
      `${source}: XML error at line ${valid.err.line}, column ${valid.err.col}: ${oneLine(valid.err.msg)}`,
    );
  }
  let parsed: ReturnType<typeof parseAnyFeed<string>>;
  try {
    parsed = parseAnyFeed<string>(body);
  } catch (cause) {
    throw notAFeed(source, oneLine((cause as Error).message), cause);
  }
  if (parsed.format === 'atom') {
    const home = parsed.feed.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href;
    return toPosts(atomItems(parsed.feed), opts, siteBase(home, sourceBase), sourceBase);
  }
  // RDF (RSS 1.0) items are a subset of RSS 2.0 items: title, link, description and the same namespaces.
  const rss = parsed.feed as RssFeed.Feed<string>;
  return toPosts(rssItems(rss), opts, siteBase(rss.link, sourceBase), sourceBase);
}

function parseJson(body: string, opts: ParseFeedOptions, sourceBase: string | undefined): Post[] {
  const source = opts.source;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidInputError(
      'FEED_JSON_INVALID',
      `${source}: not valid JSON: ${oneLine((cause as Error).message)}`,
      { cause },
    );
  }
  if (!detectJsonFeed(json)) {
    throw new InvalidInputError(
      'FEED_NOT_A_FEED',
      `${source}: JSON, but not a JSON Feed: it needs "version": "https://jsonfeed.org/version/1.1" and "items"`,
    );
  }
  const parsed = parseAnyFeed<string>(json);
  if (parsed.format !== 'json') throw notAFeed(source, 'unexpected format');
  return toPosts(jsonItems(parsed.feed), opts, siteBase(parsed.feed.home_page_url, sourceBase), sourceBase);
}

function notAFeed(source: string, why: string, cause?: unknown): InvalidInputError {
  return new InvalidInputError(
    'FEED_NOT_A_FEED',
    `${source}: not a feed (${why}); expected RSS 2.0, Atom 1.0 or JSON Feed 1.1`,
    cause === undefined ? undefined : { cause },
  );
}

/** Where a feed's relative links point: its site (channel link, Atom alternate, home_page_url), else the feed URL. */
function siteBase(home: string | undefined, sourceBase: string | undefined): string | undefined {
  return (home ? safeUrl(home, sourceBase ?? 'invalid:/', IMAGE_SCHEMES) : undefined) ?? sourceBase;
}

/**
 * @param sourceBase where relative links resolve: the feed's site link, else an http(s) feed URL.
 * @param feedUrl the http(s) URL the feed was read from, if any.
 */
function toPosts(
  items: readonly RawItem[],
  opts: ParseFeedOptions,
  sourceBase: string | undefined,
  feedUrl: string | undefined,
): Post[] {
  const source = opts.source;
  const site = opts.siteUrl ? safeUrl(opts.siteUrl, 'invalid:/', WEB_SCHEMES) : undefined;
  // A reader who clicks the title of an item without a link expects the site, not the feed's XML: the
  // feed's own site link, then the configured site, and the feed URL only when nothing else is known.
  const home = (sourceBase !== feedUrl ? sourceBase : undefined) ?? site ?? feedUrl;
  // The archive's own folders are taken from the start: an item called "page" becomes page-2.
  const slugs = new Set<string>(RESERVED_SLUGS);
  return items.map((item, index) => {
    const warnings = new WarningCollector();
    const where = `${source} item ${index + 1}`;
    const link = item.link ? safeUrl(item.link, sourceBase ?? home ?? 'invalid:/', WEB_SCHEMES) : undefined;
    if (!link && !home) {
      // Only a caller that passes neither an http(s) source nor siteUrl gets here; a made-up URL would be a
      // dead link in a sent email, so refuse instead.
      throw new InvalidInputError(
        'FEED_ITEM_NO_LINK',
        `${where} has no link and the feed has no site link; add <link> to the item or the channel, or set site.url in the config`,
      );
    }
    if (!link) {
      warnings.add(
        'ITEM_NO_LINK',
        `${where} has no${item.link ? ' usable' : ''} link; the email links to ${home} instead`,
      );
    }
    // Relative URLs in the item resolve against its link; an item without one falls back to the site.
    const base = link ?? home ?? '';
    // A description with no markup at all is plain text: give it paragraphs like any other body.
    const html = item.html && !/<[a-z!/]/i.test(item.html) ? textToHtml(item.html) : (item.html ?? '');
    const body = normalizeBody(html, { baseUrl: base });
    warnings.addAll(body.warnings);

    const enclosures = item.media.flatMap((m): Media[] => {
      const url = safeUrl(m.url, base, IMAGE_SCHEMES);
      if (!url || body.media.some((b) => b.url === url)) return [];
      const image = m.image ? safeUrl(m.image, base, IMAGE_SCHEMES) : undefined;
      const { image: _drop, ...rest } = m;
      return [{ ...rest, url, ...(m.title ? { title: oneLine(m.title) } : {}), ...(image ? { image } : {}) }];
    });
    const media = [...body.media, ...enclosures];
    const coverUrl = item.covers.map((c) => (c ? safeUrl(c, base, IMAGE_SCHEMES) : undefined)).find(Boolean);
    const cover = coverUrl ? { url: coverUrl, alt: '' } : undefined;

    const excerpt = item.summary ? truncateAtWord(item.summary, 300) : excerptFromHtml(body.html);
    let title = oneLine(item.title && item.titleIsHtml ? htmlText(item.title) : (item.title ?? ''));
    if (!title) {
      title = truncateAtWord(excerpt, 80) || 'Untitled';
      warnings.add('ITEM_NO_TITLE', `${where} has no title; "${title}" stands in`);
    }
    const subtitleText = item.subtitle ? truncateAtWord(item.subtitle, 300) : '';
    const subtitle = subtitleText && subtitleText !== title ? subtitleText : undefined;

    let date = item.dates.map((d) => (d ? isoFromFeedDate(d) : undefined)).find(Boolean);
    if (!date) {
      date = new Date(0).toISOString();
      warnings.add('ITEM_NO_DATE', `${where} has no valid date; it sorts as the oldest`);
    }
    const id = oneLine(item.id ?? '') || link || `${source}#${slugify(title) || index + 1}`;
    const podcast = item.podcast
      ? podcastDetails(item.podcast.podcast, item.podcast.itunes, base)
      : undefined;
    const slug = uniqueSlug(slugFor(link, title, index), slugs);

    return {
      id,
      slug,
      title,
      ...(subtitle ? { subtitle } : {}),
      authors: [...new Set(item.authors.map(oneLine).filter(Boolean))],
      date,
      url: base,
      ...(cover ? { cover } : {}),
      bodyHtml: body.html,
      excerpt,
      tags: [...new Set(item.tags.map(oneLine).filter(Boolean))],
      media,
      send: 'instant',
      draft: false,
      ...(podcast ? { podcast } : {}),
      contentHash: contentHash({
        title,
        ...(subtitle ? { subtitle } : {}),
        bodyHtml: body.html,
        ...(cover ? { cover } : {}),
        media,
      }),
      warnings: warnings.list(),
    };
  });
}

/** RFC 822 (RSS) and ISO 8601 (Atom, JSON Feed) dates, as ISO 8601 UTC. */
function isoFromFeedDate(value: string): string | undefined {
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function slugFor(link: string | undefined, title: string, index: number): string {
  const last = link ? new URL(link).pathname.split('/').filter(Boolean).pop() : undefined;
  return slugify(last?.replace(/\.[a-z0-9]+$/i, '') ?? '') || slugify(title) || `item-${index + 1}`;
}

function uniqueSlug(slug: string, taken: Set<string>): string {
  let candidate = slug;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${slug}-${n}`;
  taken.add(candidate);
  return candidate;
}
