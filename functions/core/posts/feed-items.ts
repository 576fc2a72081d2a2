import { load } from 'cheerio/slim';
import type { AtomFeed, ItunesNs, JsonFeed, MediaNs, PodcastNs, RssFeed } from 'feedsmith';
import { nodeText } from './nesting.ts';
import type { Media } from './post.ts';
import { oneLine } from './text.ts';

// Each feed format's items (RSS 2.0 with its namespaces, Atom 1.0, JSON Feed 1.1) read into one shape, RawItem,
// which feed.ts normalizes into posts.

/** What a feed item gives, whatever the format, before it is normalized into a {@link Post}. */
export interface RawItem {
  readonly id?: string | undefined;
  readonly link?: string | undefined;
  readonly title?: string | undefined;
  readonly titleIsHtml?: boolean;
  readonly html?: string | undefined;
  readonly subtitle?: string | undefined;
  readonly summary?: string | undefined;
  readonly dates: readonly (string | undefined)[];
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly media: readonly Media[];
  readonly covers: readonly (string | undefined)[];
  /** RSS only: the item's `podcast:` and `itunes:` tags, read into details against its base URL. */
  readonly podcast?: { readonly podcast?: PodcastNs.Item; readonly itunes?: ItunesNs.Item };
}

export function rssItems(feed: RssFeed.Feed<string>): RawItem[] {
  const channelDates = [feed.pubDate, feed.lastBuildDate, feed.dc?.dates?.[0]];
  const channelAuthors = [...(feed.dc?.creators ?? []), ...(feed.itunes?.author ? [feed.itunes.author] : [])];
  const channelImage = feed.itunes?.image ?? feed.image?.url;
  return (feed.items ?? []).map((item) => {
    const duration = item.itunes?.duration;
    const art = item.itunes?.image ?? channelImage;
    const enclosures = (item.enclosures ?? []).filter((e) => e.url);
    const media: Media[] = [];
    const covers: (string | undefined)[] = [];
    for (const e of enclosures) {
      const kind = kindOf(e.type);
      if (kind === 'image') covers.push(e.url);
      else if (kind) {
        media.push({
          kind,
          url: e.url ?? '',
          provider: 'enclosure',
          ...(e.type ? { type: e.type } : {}),
          ...(item.title ? { title: item.title } : {}),
          ...(duration === undefined ? {} : { duration }),
          ...(art ? { image: art } : {}),
        });
      }
    }
    const rich = mediaRss(item.media, item.title);
    media.push(...rich.media.filter((m) => !media.some((e) => e.url === m.url)));
    covers.push(...rich.covers);
    const encoded = item.content?.encoded;
    const description = item.description;
    return {
      id: item.guid?.value,
      // A guid is a permalink by default in RSS, but only an absolute URL can serve as one.
      link:
        item.link ??
        (item.guid?.isPermaLink !== false && /^https?:\/\//i.test(item.guid?.value ?? '')
          ? item.guid?.value
          : undefined),
      title: item.title,
      html: encoded ?? description,
      subtitle: item.itunes?.subtitle ?? (encoded && description ? htmlText(description) : undefined),
      summary: undefined,
      dates: [item.pubDate, item.dc?.dates?.[0], ...channelDates],
      authors: [
        ...(item.dc?.creators ?? []),
        ...(item.authors ?? []).map((a) => a.name ?? a.email ?? ''),
        ...(item.itunes?.author ? [item.itunes.author] : []),
      ].concat(
        item.dc?.creators?.length || item.authors?.length || item.itunes?.author ? [] : channelAuthors,
      ),
      tags: [...(item.categories ?? []).map((c) => c.name ?? ''), ...(item.dc?.subjects ?? [])],
      media,
      covers,
      ...(item.podcast || item.itunes
        ? {
            podcast: {
              ...(item.podcast ? { podcast: item.podcast } : {}),
              ...(item.itunes ? { itunes: item.itunes } : {}),
            },
          }
        : {}),
    };
  });
}

/** media:content / media:group (audio and video become media, images a cover) and media:thumbnail. */
function mediaRss(
  ns: MediaNs.ItemOrFeed | undefined,
  title: string | undefined,
): { media: Media[]; covers: string[] } {
  const media: Media[] = [];
  const covers: string[] = [];
  if (!ns) return { media, covers };
  const thumbnail = ns.thumbnails?.[0]?.url;
  const contents = [...(ns.contents ?? []), ...(ns.groups ?? []).flatMap((g) => g.contents ?? [])];
  for (const c of contents) {
    if (!c.url) continue;
    const kind =
      c.medium === 'audio' || c.medium === 'video' || c.medium === 'image' ? c.medium : kindOf(c.type);
    const contentThumb = c.thumbnails?.[0]?.url ?? thumbnail;
    if (kind === 'image') covers.push(c.url);
    else if (kind) {
      const mediaTitle = c.title?.value ?? title;
      media.push({
        kind,
        url: c.url,
        provider: 'media-rss',
        ...(c.type ? { type: c.type } : {}),
        ...(mediaTitle ? { title: mediaTitle } : {}),
        ...(c.duration === undefined ? {} : { duration: c.duration }),
        ...(contentThumb ? { image: contentThumb } : {}),
      });
    }
  }
  if (thumbnail) covers.push(thumbnail);
  return { media, covers };
}

export function atomItems(feed: AtomFeed.Feed<string>): RawItem[] {
  const feedAuthors = (feed.authors ?? []).map((a) => a.name ?? '');
  return (feed.entries ?? []).map((entry) => {
    const links = entry.links ?? [];
    const alternate = links.find((l) => (l.rel ?? 'alternate') === 'alternate' && l.href)?.href;
    const media: Media[] = [];
    const covers: string[] = [];
    for (const l of links.filter((l) => l.rel === 'enclosure' && l.href)) {
      const kind = kindOf(l.type);
      if (kind === 'image') covers.push(l.href ?? '');
      else if (kind) {
        media.push({
          kind,
          url: l.href ?? '',
          provider: 'enclosure',
          ...(l.type ? { type: l.type } : {}),
          ...(l.title ? { title: l.title } : {}),
          ...(entry.itunes?.duration === undefined ? {} : { duration: entry.itunes.duration }),
        });
      }
    }
    const rich = mediaRss(entry.media, textOf(entry.title));
    media.push(...rich.media.filter((m) => !media.some((e) => e.url === m.url)));
    covers.push(...rich.covers);
    const content = entry.content;
    const html =
      content?.value === undefined
        ? atomTextHtml(entry.summary)
        : content.type === 'text'
          ? textToHtml(content.value)
          : content.value;
    const authors = (entry.authors ?? []).map((a) => a.name ?? '');
    return {
      id: entry.id,
      link: alternate,
      title: textOf(entry.title),
      titleIsHtml: entry.title?.type === 'html' || entry.title?.type === 'xhtml',
      html,
      subtitle:
        content?.value !== undefined && entry.summary
          ? htmlText(atomTextHtml(entry.summary) ?? '')
          : undefined,
      summary: undefined,
      dates: [entry.published, entry.updated, entry.dc?.dates?.[0], feed.updated],
      authors: authors.length ? authors : feedAuthors,
      tags: (entry.categories ?? []).map((c) => c.label ?? c.term ?? ''),
      media,
      covers,
    };
  });
}

export function jsonItems(feed: JsonFeed.Feed<string>): RawItem[] {
  const feedAuthors = (feed.authors ?? []).map((a) => a.name ?? '');
  return (feed.items ?? []).map((item) => {
    const media: Media[] = [];
    for (const a of item.attachments ?? []) {
      const kind = kindOf(a.mime_type);
      if (!a.url || (kind !== 'audio' && kind !== 'video')) continue;
      media.push({
        kind,
        url: a.url,
        provider: 'enclosure',
        ...(a.mime_type ? { type: a.mime_type } : {}),
        ...((a.title ?? item.title) ? { title: a.title ?? item.title ?? '' } : {}),
        ...(a.duration_in_seconds === undefined ? {} : { duration: a.duration_in_seconds }),
      });
    }
    const authors = (item.authors ?? []).map((a) => a.name ?? '');
    return {
      id: item.id === undefined ? undefined : String(item.id),
      link: item.url ?? item.external_url,
      title: item.title,
      html:
        item.content_html ?? (item.content_text === undefined ? undefined : textToHtml(item.content_text)),
      subtitle: undefined,
      summary: item.summary,
      dates: [item.date_published, item.date_modified],
      authors: authors.length ? authors : feedAuthors,
      tags: item.tags ?? [],
      media,
      covers: [item.image, item.banner_image],
    };
  });
}

function kindOf(type: string | undefined): 'audio' | 'video' | 'image' | undefined {
  const major = type?.split('/')[0]?.trim().toLowerCase();
  return major === 'audio' || major === 'video' || major === 'image' ? major : undefined;
}

function textOf(text: AtomFeed.Text | string | undefined): string | undefined {
  return typeof text === 'string' ? text : text?.value;
}

function atomTextHtml(text: AtomFeed.Text | undefined): string | undefined {
  if (!text) return undefined;
  return text.type === 'html' || text.type === 'xhtml' ? text.value : textToHtml(text.value);
}

/** Plain text (Atom `type="text"`, JSON Feed `content_text`) as paragraphs. */
export function textToHtml(text: string): string {
  const $ = load('', {}, false);
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((para) => para.trim())
    .filter(Boolean)
    .map((para) => $('<p></p>').text(para).toString())
    .join('\n');
}

/** The text of an HTML fragment, on one line (a title or summary given as HTML). */
export function htmlText(html: string): string {
  const root = load(html, {}, false).root()[0];
  return root ? oneLine(nodeText(root)) : '';
}
