import { createHash } from 'node:crypto';
import type { Config, ListConfig } from '../config/schema.ts';
import { InvalidInputError } from '../errors.ts';
import type { Media, Post, Warning } from '../posts/post.ts';
import { absolute, blockSizes, cutBody, prepareBody } from './body.ts';
import { fillTemplate, mjmlToHtml } from './render-mjml.ts';
import { SLOT_NAMES, type SlotName, stripControl } from './slots.ts';
import type { TemplateSources, Theme } from './templates.ts';
import { htmlToPlainText } from './text.ts';

/**
 * One edition, rendered once. Plain JSON: it is stored (DynamoDB/S3) and loaded by the send Lambda.
 * `html` and `text` hold the per-recipient slots as `{{greeting}}`, `{{email}}`, `{{unsubscribeUrl}}`,
 * `{{preferencesUrl}}` (and `{{lb}}`/`{{bs}}` for literal `{{` and `\` from the content); see slots.ts.
 */
export interface RenderedEdition {
  readonly editionId: string;
  readonly subject: string;
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
  readonly warnings: readonly Warning[];
  readonly bytes: { readonly html: number; readonly text: number };
}

export interface RenderEditionInput {
  readonly kind: 'post' | 'digest';
  readonly posts: readonly Post[];
  readonly list: ListConfig;
  readonly config: Config;
  readonly templates: TemplateSources;
  readonly editionId: string;
  readonly now: Date;
  /** Where "View in browser" goes; default: the post URL (digest: the site). */
  readonly webUrl?: string;
}

// Room kept under the budget for what the slots become per recipient (two signed URLs, a name, an address).
const SLOT_RESERVE_BYTES = 1024;

/**
 * Renders an edition once: Handlebars fills the theme and the content (escaping everything from posts),
 * MJML runs once, and the result keeps slots for the per-recipient parts. Adds the plain-text twin, cuts
 * the body at a block boundary when the HTML would pass the budget (warning GMAIL_CLIP_RISK), and reports
 * images without alt (IMAGE_NO_ALT) beside the post's own warnings.
 *
 * @example
 * const edition = await renderEdition({ kind: 'post', posts: [post], list, config, templates, editionId, now });
 * edition.subject; // the post title
 */
export async function renderEdition(input: RenderEditionInput): Promise<RenderedEdition> {
  const { posts, config } = input;
  const first = posts[0];
  if (!first) throw new InvalidInputError('EDITION_EMPTY', `edition ${input.editionId}: no posts to render`);
  if (input.kind === 'post' && posts.length !== 1) {
    throw new InvalidInputError(
      'EDITION_KIND',
      `edition ${input.editionId}: a post edition holds one post, got ${posts.length}; use kind "digest"`,
    );
  }
  const warnings: Warning[] = posts.flatMap((p) => p.warnings);
  const budget = config.sending.htmlBudgetKb * 1024 - SLOT_RESERVE_BYTES;
  const sentinel = sentinels(input);
  const base = baseView(input, sentinel.values);

  let html: string;
  let subject: string;
  let preheader: string;
  if (input.kind === 'post') {
    const card = (media: Media, index: number) => mediaCard(media, index, first, input.templates, config);
    const body = prepareBody(first.bodyHtml, { media: first.media, baseUrl: first.url, card });
    warnings.push(...body.warnings);
    const cardsHtml = first.media
      .map((m, i) => (body.placed.has(i) ? '' : card(m, i)))
      .filter(Boolean)
      .join('\n');
    ({ subject, preheader } = headline(input, 'post'));
    const render = (bodyHtml: string) =>
      mjmlToHtml(
        fillTemplate(
          input.templates.post,
          {
            ...base,
            subject,
            preheader,
            post: { ...postView(first, config), bodyHtml, cardsHtml, ...commentView(body.comment) },
          },
          input.templates.partials,
        ),
      );
    html = await render(body.html);
    const fullBytes = Buffer.byteLength(html);
    if (fullBytes > budget) {
      html = await fitToBudget(body.html, html, budget, first.url, render);
      warnings.push({
        code: 'GMAIL_CLIP_RISK',
        message: `the email would be ${kb(fullBytes)}, over the ${config.sending.htmlBudgetKb} KB budget (Gmail clips at 102 KB); the body was cut to ${kb(Buffer.byteLength(html))} at a block boundary, with a "Continue reading" button`,
      });
    }
  } else {
    ({ subject, preheader } = headline(input, 'digest'));
    const render = (kept: number) =>
      mjmlToHtml(
        fillTemplate(
          input.templates.digest,
          {
            ...base,
            subject,
            preheader,
            heading: subject,
            posts: posts.slice(0, kept).map((p) => digestItem(p, config)),
            ...(kept < posts.length
              ? { more: { count: posts.length - kept, one: posts.length - kept === 1, url: config.site.url } }
              : {}),
          },
          input.templates.partials,
        ),
      );
    html = await render(posts.length);
    const fullBytes = Buffer.byteLength(html);
    if (fullBytes > budget) {
      const fitted = await fitDigest(posts.length, budget, render);
      html = fitted.html;
      const over = `the digest would be ${kb(fullBytes)}, over the ${config.sending.htmlBudgetKb} KB budget (Gmail clips at 102 KB)`;
      const rest = posts.length - fitted.kept;
      warnings.push({
        code: 'GMAIL_CLIP_RISK',
        message:
          Buffer.byteLength(html) <= budget
            ? `${over}; it keeps the first ${fitted.kept} of ${posts.length} posts (${kb(Buffer.byteLength(html))}) and links to the other ${rest} on the site`
            : `${over}; even its first post alone is ${kb(Buffer.byteLength(html))}${rest > 0 ? `, so it keeps that one and links to the other ${rest} on the site` : ''}: raise sending.htmlBudgetKb or shorten the template`,
      });
    }
    for (const p of posts) {
      if (p.cover && !p.cover.alt) {
        warnings.push({ code: 'IMAGE_NO_ALT', message: `cover image of "${p.title}" has no alt text` });
      }
    }
  }
  if (input.kind === 'post' && first.cover && !first.cover.alt) {
    warnings.push({ code: 'IMAGE_NO_ALT', message: `the cover image of "${first.title}" has no alt text` });
  }

  const text = htmlToPlainText(html);
  const storedHtml = toStored(html, sentinel);
  const storedText = toStored(text, sentinel);
  return {
    editionId: input.editionId,
    subject,
    preheader,
    html: storedHtml,
    text: storedText,
    warnings,
    bytes: { html: Buffer.byteLength(storedHtml), text: Buffer.byteLength(storedText) },
  };
}

/** Drops trailing top-level blocks until the HTML fits, estimating first and then stepping down. */
async function fitToBudget(
  bodyHtml: string,
  fullHtml: string,
  budget: number,
  url: string,
  render: (body: string) => Promise<string>,
): Promise<string> {
  const sizes = blockSizes(bodyHtml);
  const rawTotal = sizes.reduce((a, b) => a + b, 0) || 1;
  const empty = Buffer.byteLength(await render(cutBody(bodyHtml, 0, url)));
  // Inlined CSS makes the body grow by a roughly constant factor; estimate the raw bytes that fit.
  const growth = Math.max(1, (Buffer.byteLength(fullHtml) - empty) / rawTotal);
  const allowedRaw = ((budget - empty) / growth) * 0.97;
  let keep = 0;
  for (let acc = 0; keep < sizes.length && acc + (sizes[keep] ?? 0) <= allowedRaw; keep++)
    acc += sizes[keep] ?? 0;
  for (;;) {
    const html = await render(cutBody(bodyHtml, keep, url));
    if (Buffer.byteLength(html) <= budget || keep === 0) return html;
    keep = Math.floor(keep * 0.9);
  }
}

/**
 * The most leading posts of a digest whose email fits the budget (at least one), with a link to the rest:
 * a binary search over the count, one MJML run per step.
 */
async function fitDigest(
  total: number,
  budget: number,
  render: (kept: number) => Promise<string>,
): Promise<{ html: string; kept: number }> {
  let low = 1;
  let high = total - 1;
  let best: { html: string; kept: number } | undefined;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const html = await render(mid);
    if (Buffer.byteLength(html) <= budget) {
      best = { html, kept: mid };
      low = mid + 1;
    } else high = mid - 1;
  }
  return best ?? { html: await render(1), kept: 1 };
}

/** Subject and preheader templates used when the templates folder has no `subjects.json`. */
export const DEFAULT_SUBJECTS: NonNullable<TemplateSources['subjects']> = {
  post: {
    subject: '{{post.title}}',
    preheader: '{{#if post.subtitle}}{{post.subtitle}}{{else}}{{post.excerpt}}{{/if}}',
  },
  digest: {
    subject: '{{count}} new {{#if one}}post{{else}}posts{{/if}} from {{site.name}}',
    preheader: '{{#each posts}}{{#unless @first}} · {{/unless}}{{title}}{{/each}}',
  },
};

/** The subject and preheader, from their templates: plain text, one line (CR/LF and control characters go). */
function headline(
  input: RenderEditionInput,
  kind: 'post' | 'digest',
): { subject: string; preheader: string } {
  const templates = (input.templates.subjects ?? DEFAULT_SUBJECTS)[kind];
  const data = {
    site: input.config.site,
    list: { id: input.list.id, name: input.list.name },
    post: input.posts[0],
    posts: input.posts,
    count: input.posts.length,
    one: input.posts.length === 1,
  };
  const text = (source: string) =>
    cleanLine(fillTemplate(source, data, input.templates.partials, { noEscape: true }));
  return {
    subject: truncate(text(templates.subject), 250),
    preheader: truncate(text(templates.preheader), 150),
  };
}

interface Sentinels {
  readonly values: Readonly<Record<SlotName, string>>;
  readonly pattern: RegExp;
}

/**
 * Markers that stand for the slots while Handlebars, MJML and html-to-text run. Letters and digits only, so
 * no step rewrites them; the nonce is a hash of the content, so a post cannot contain its own markers.
 */
function sentinels(input: RenderEditionInput): Sentinels {
  const nonce = createHash('sha256')
    .update(input.editionId)
    .update(JSON.stringify(input.posts))
    .digest('hex')
    .slice(0, 16);
  const values = Object.fromEntries(SLOT_NAMES.map((n) => [n, `tslot${nonce}${n}x`])) as Record<
    SlotName,
    string
  >;
  return { values, pattern: new RegExp(`tslot${nonce}(${SLOT_NAMES.join('|')})x`, 'g') };
}

/** Escapes the content's own `{{` and backslashes before them, then turns markers into slot mustaches. */
function toStored(rendered: string, sentinel: Sentinels): string {
  const marker = sentinel.pattern.source.replace('(', '(?:');
  return rendered.replace(new RegExp(`\\\\+(?=\\{\\{|${marker})|\\{\\{|${marker}`, 'g'), (match: string) => {
    if (match === '{{') return '{{lb}}';
    if (match.startsWith('\\')) return '{{bs}}'.repeat(match.length);
    return `{{${match.slice(21, -1)}}}`;
  });
}

function baseView(input: RenderEditionInput, slot: Readonly<Record<SlotName, string>>) {
  const { config, list, templates } = input;
  const first = input.posts[0];
  const webUrl = input.webUrl ?? (input.kind === 'post' && first ? first.url : config.site.url);
  return {
    site: config.site,
    list: { id: list.id, name: list.name, description: list.description },
    theme: templates.theme,
    dir: isRtl(input.posts.map((p) => p.title).join(' ')) ? 'rtl' : 'ltr',
    webUrl,
    slot,
  };
}

/** Theme values for other emails (confirmation, welcome) rendered through the same partials. */
export function themeView(config: Config, theme: Theme) {
  return { site: config.site, theme, dir: 'ltr' as const };
}

function postView(post: Post, config: Config) {
  return {
    title: post.title,
    subtitle: post.subtitle,
    url: post.url,
    cover: post.cover,
    byline: post.authors.length > 0 ? `By ${joinNames(post.authors)}` : '',
    dateLabel: dateLabel(post.date, config.site.lang),
  };
}

function commentView(comment: { url: string; label: string } | undefined) {
  return comment ? { commentUrl: comment.url, commentLabel: comment.label } : {};
}

function digestItem(post: Post, config: Config) {
  const firstImage = post.media.find((m) => m.image)?.image;
  const image = post.cover ?? (firstImage ? { url: firstImage, alt: post.title } : undefined);
  const audio = post.media.find((m) => m.kind === 'audio');
  const video = post.media.find((m) => m.kind === 'video');
  const mediaLabel = audio
    ? `Listen${audio.duration ? ` (${formatDuration(audio.duration)})` : ''}`
    : video
      ? `Watch${video.duration ? ` (${formatDuration(video.duration)})` : ''}`
      : '';
  return {
    ...postView(post, config),
    image,
    excerpt: truncate(cleanLine(post.excerpt), 300),
    mediaLabel,
  };
}

function mediaCard(
  media: Media,
  index: number,
  post: Post,
  templates: TemplateSources,
  config: Config,
): string {
  const url = absolute(media.url, post.url) ?? post.url;
  const image = media.image ? absolute(media.image, post.url) : undefined;
  const where = media.provider ? PROVIDER_NAMES[media.provider] : undefined;
  const title =
    media.title ?? (media.kind === 'audio' ? post.title : where ? `Watch on ${where}` : `Video ${index + 1}`);
  const data = {
    video: media.kind === 'video',
    url,
    // The image also goes into CSS url('…'); percent-encode what could end the string there.
    image: image ? cssSafeUrl(image) : post.cover ? cssSafeUrl(post.cover.url) : undefined,
    imageAlt: `Artwork: ${title}`,
    title,
    duration: media.duration ? formatDuration(media.duration) : '',
    playLabel: media.kind === 'video' ? 'Play video' : 'Listen',
    brandColor: config.site.brandColor,
    muted: templates.theme.muted,
    border: templates.theme.border,
  };
  return fillTemplate(templates.partials['media-card'] ?? '', data, templates.partials).trim();
}

const PROVIDER_NAMES: Readonly<Partial<Record<NonNullable<Media['provider']>, string>>> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  spotify: 'Spotify',
  'apple-podcasts': 'Apple Podcasts',
  soundcloud: 'SoundCloud',
  'substack-video': 'Substack',
};

/**
 * A duration in seconds as m:ss, or h:mm:ss from one hour up.
 *
 * @example
 * formatDuration(3725) // '1:02:05'
 */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function cssSafeUrl(url: string): string {
  return url.replace(/['"()\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function dateLabel(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line of text: control characters (CR/LF included) become spaces, runs of space collapse. */
export function cleanLine(value: string): string {
  return stripControl(value).replace(/\s+/g, ' ').trim();
}

function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function isRtl(text: string): boolean {
  const rtl = (text.match(/[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/g) ?? []).length;
  const ltr = (text.match(/[A-Za-z\u00c0-\u024f\u0400-\u04ff]/g) ?? []).length;
  return rtl > ltr;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
