import Handlebars from 'handlebars';
import { registerI18nHelpers } from '../i18n/handlebars-helpers.ts';
import type { Translator } from '../i18n/translator.ts';
import type { PodcastDetails } from '../posts/podcast.ts';
import type { Post } from '../posts/post.ts';
import { formatDuration } from '../render/edition-view.ts';
import { episodeLabel, roleName } from '../render/podcast-block.ts';
import { TIME_ZONE_SCRIPT } from '../schedule/time-zone-script.ts';
import { digestPageUrl, indexUrl, postPageUrl } from './select.ts';
import { type ArchiveSite, siteForLists, siteWords } from './site.ts';
import { webBody } from './web-body.ts';

/** The archive's templates, as text (templates/archive/): read by an adapter, compiled here. */
export interface ArchiveTemplates {
  readonly layout: string;
  readonly post: string;
  readonly index: string;
  readonly digest: string;
  readonly subscribe: string;
  readonly css: string;
}

/** The compiled templates; compile once per build. */
export interface CompiledArchiveTemplates {
  readonly layout: Handlebars.TemplateDelegate;
  readonly post: Handlebars.TemplateDelegate;
  readonly index: Handlebars.TemplateDelegate;
  readonly digest: Handlebars.TemplateDelegate;
  readonly css: string;
}

/** Compiles the archive's templates in their own Handlebars environment (strict: a missing field is an error). */
export function compileArchiveTemplates(t: ArchiveTemplates): CompiledArchiveTemplates {
  const hb = Handlebars.create();
  registerI18nHelpers(hb);
  hb.registerPartial('subscribe', t.subscribe);
  const compile = (source: string) =>
    hb.compile(source, {
      knownHelpersOnly: true,
      knownHelpers: { t: true, link: true, anchor: true, side: true },
    });
  return {
    layout: compile(t.layout),
    post: compile(t.post),
    index: compile(t.index),
    digest: compile(t.digest),
    css: t.css,
  };
}

/**
 * The page of one post: the whole post, token-free, with its metadata for search engines and link previews,
 * in the language of the post's first list.
 */
export function renderPostPage(
  post: Post,
  archive: ArchiveSite,
  templates: CompiledArchiveTemplates,
): string {
  const site = siteForLists(archive, post.lists);
  const i18n = siteWords(site);
  const { lead, body } = webBody(post, i18n);
  const pageUrl = postPageUrl(site.archiveUrl, post);
  // A post from a feed, or with a URL in its front matter, lives on the author's site first: that is canonical.
  const canonical = post.urlFromSlug ? pageUrl : post.url;
  const episode = post.media.find((m) => m.kind === 'audio');
  const description = post.subtitle ?? post.excerpt;
  const content = templates.post({
    i18n,
    post,
    date: i18n.date(post.date),
    authors: i18n.list(post.authors, 'unit'),
    lead,
    body,
    ...(post.podcast ? { podcast: podcastView(post.podcast, i18n) } : {}),
    ownUrl: !post.urlFromSlug,
    ownUrlHost: hostOf(post.url),
    site,
    ...subscribeView(site, post.lists, i18n),
  });
  return layout(templates, site, {
    title: `${post.title} · ${site.name}`,
    ogTitle: post.title,
    description,
    canonical,
    ogType: 'article',
    ...(post.cover ? { image: post.cover } : {}),
    jsonLd: jsonLd({
      '@context': 'https://schema.org',
      '@type': episode ? 'PodcastEpisode' : 'Article',
      ...(episode ? { name: post.title } : { headline: post.title }),
      description,
      datePublished: post.date,
      url: canonical,
      mainEntityOfPage: pageUrl,
      inLanguage: site.lang,
      ...(post.authors.length ? { author: post.authors.map((name) => ({ '@type': 'Person', name })) } : {}),
      ...(post.cover ? { image: post.cover.url } : {}),
      ...(episode
        ? {
            associatedMedia: {
              '@type': 'MediaObject',
              contentUrl: episode.url,
              ...(episode.type ? { encodingFormat: episode.type } : {}),
            },
            ...(episode.duration ? { timeRequired: `PT${Math.round(episode.duration)}S` } : {}),
          }
        : {}),
      publisher: { '@type': 'Organization', name: site.name, url: site.siteUrl },
    }),
    content,
  });
}

/** What a digest page shows: the digest's edition, list and day, and its posts in the email's order. */
export interface DigestPageInput {
  /** The digest's edition id (URL-safe): the page lives at `digests/<editionId>/`. */
  readonly editionId: string;
  readonly listId: string;
  /** When the digest ran (ISO 8601): the page's date. */
  readonly date: string;
  readonly posts: readonly Post[];
}

/**
 * The page of one digest, where its email's "View in browser" goes: its posts (title, date, subtitle,
 * cover), each linked to its own page, in the digest list's language. Like every archive page it is the
 * same for every reader: no token, no greeting, nothing about a subscriber.
 */
export function renderDigestPage(
  digest: DigestPageInput,
  archive: ArchiveSite,
  templates: CompiledArchiveTemplates,
): string {
  const site = siteForLists(archive, [digest.listId]);
  const i18n = siteWords(site);
  const list = site.lists.find((l) => l.id === digest.listId);
  const pageUrl = digestPageUrl(site.archiveUrl, digest.editionId);
  const listName = list?.name ?? site.name;
  const heading = i18n.t('archive.digestHeading', { date: i18n.date(digest.date) });
  const description = i18n.t('archive.digestDescription', {
    titles: i18n.list(digest.posts.map((p) => p.title)),
  });
  const entries = digest.posts.map((p) => entryView(p, site, i18n));
  const content = templates.digest({
    i18n,
    heading,
    listName,
    iso: digest.date,
    entries,
    indexUrl: indexUrl(site.archiveUrl, 1),
    site,
    ...subscribeView(site, [digest.listId], i18n),
  });
  const cover = digest.posts.find((p) => p.cover)?.cover;
  return layout(templates, site, {
    title: `${heading} · ${listName}`,
    ogTitle: `${listName}: ${heading}`,
    description,
    canonical: pageUrl,
    ogType: 'website',
    ...(cover ? { image: cover } : {}),
    jsonLd: jsonLd({
      '@context': 'https://schema.org',
      '@type': 'ItemList',
      name: `${listName}: ${heading}`,
      url: pageUrl,
      inLanguage: site.lang,
      itemListElement: entries.map((e, i) => ({
        '@type': 'ListItem',
        position: i + 1,
        url: e.href,
        name: e.title,
      })),
    }),
    content,
  });
}

/** A post as a list entry of the index and of a digest page. */
function entryView(p: Post, site: ArchiveSite, i18n: Translator) {
  return {
    href: postPageUrl(site.archiveUrl, p),
    title: p.title,
    iso: p.date,
    date: i18n.date(p.date),
    summary: p.subtitle ?? p.excerpt,
    audio: p.media.some((m) => m.kind === 'audio'),
    ...(p.cover ? { cover: p.cover } : {}),
  };
}

/** One page of the archive's index: its posts newest first, with links to the newer and older pages. */
export function renderIndexPage(
  posts: readonly Post[],
  page: number,
  pages: number,
  site: ArchiveSite,
  templates: CompiledArchiveTemplates,
): string {
  const url = indexUrl(site.archiveUrl, page);
  const i18n = siteWords(site);
  const content = templates.index({
    i18n,
    heading: page === 1 ? site.name : i18n.t('archive.headingPage', { site: site.name, page }),
    entries: posts.map((p) => entryView(p, site, i18n)),
    ...(pages > 1
      ? {
          pager: {
            page,
            pages,
            ...(page > 1 ? { newer: indexUrl(site.archiveUrl, page - 1) } : {}),
            ...(page < pages ? { older: indexUrl(site.archiveUrl, page + 1) } : {}),
          },
        }
      : {}),
    site,
    ...subscribeView(site, undefined, i18n),
  });
  return layout(templates, site, {
    title:
      page === 1
        ? i18n.t('archive.title', { site: site.name })
        : i18n.t('archive.titlePage', { site: site.name, page }),
    ogTitle: site.name,
    description: i18n.t('archive.description', { site: site.name }),
    canonical: url,
    ogType: 'website',
    content,
  });
}

interface LayoutView {
  readonly title: string;
  readonly ogTitle: string;
  readonly description: string;
  readonly canonical: string;
  readonly ogType: 'article' | 'website';
  readonly image?: { readonly url: string; readonly alt: string };
  readonly jsonLd?: string;
  readonly content: string;
}

function layout(templates: CompiledArchiveTemplates, site: ArchiveSite, view: LayoutView): string {
  const c = site.colours;
  const vars = `:root{--accent:${c.accent};--on-accent:${c.onAccent};--link-light:${c.link};--link-dark:${c.darkLink};--font:${cssFont(site.font)}}`;
  return templates.layout({
    ...view,
    i18n: siteWords(site),
    site,
    feedUrl: `${site.archiveUrl}/feed.xml`,
    ogLocale: site.lang.replace('-', '_'),
    css: `${vars}\n${templates.css}`,
  });
}

/** An episode's number, people, chapters and transcripts, as the page shows them. */
function podcastView(p: PodcastDetails, i18n: Translator) {
  const label = episodeLabel(p, i18n);
  const people = (p.people ?? []).map((person) => {
    const role = roleName(person.role, i18n);
    return { ...person, role: role.charAt(0).toLocaleUpperCase(i18n.language) + role.slice(1) };
  });
  return {
    label: label.join(' · '),
    people,
    chapters: (p.chapters ?? []).map((c) => ({
      ...c,
      time: c.startTime === 0 ? '0:00' : formatDuration(c.startTime),
    })),
    ...(p.transcript
      ? {
          transcript:
            'html' in p.transcript ? { html: p.transcript.html } : { paragraphs: p.transcript.paragraphs },
        }
      : {}),
    transcripts: (p.transcripts ?? []).map((t) => ({
      ...t,
      what: i18n.t(
        t.type.includes('vtt') || t.type.includes('subrip')
          ? 'podcast.captions'
          : t.type.includes('html')
            ? 'podcast.webPage'
            : 'podcast.text',
      ),
    })),
  };
}

/** The subscribe form's lists: the post's own lists when it names them, else the first list. */
function subscribeView(site: ArchiveSite, lists: readonly string[] | undefined, i18n: Translator) {
  const chosen = lists?.length ? site.lists.filter((l) => lists.includes(l.id)) : site.lists.slice(0, 1);
  const subscribeLists = chosen.length ? chosen : site.lists.slice(0, 1);
  return {
    subscribeLists,
    listNames: i18n.list(subscribeLists.map((l) => l.name)),
    // As on the subscriber pages' form: the reader's zone is asked for only where a list goes at local time.
    ...(subscribeLists.some((l) => l.localTime) ? { tzScript: TIME_ZONE_SCRIPT } : {}),
  };
}

/**
 * JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are escaped as \u00XX so that no string a
 * feed wrote (a title with `</script>`) can end the script element.
 */
export function jsonLd(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A font stack safe inside a CSS declaration: only the characters font names use. */
function cssFont(font: string): string {
  const safe = font.replace(/[^\w\s,'"-]/g, '').trim();
  return safe || 'system-ui, sans-serif';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
