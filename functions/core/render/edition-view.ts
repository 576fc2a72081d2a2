import { digestPageUrl, postPageUrl } from '../archive/select.ts';
import type { Config, ListConfig } from '../config/schema.ts';
import type { Translator } from '../i18n/translator.ts';
import type { Post, Warning } from '../posts/post.ts';
import { truncateAtWord } from '../posts/text.ts';
import type { ImageSizes } from './images.ts';
import { fillTemplate } from './render-mjml.ts';
import type { SlotName } from './slots.ts';
import type { TemplateSources, Theme } from './templates.ts';

// What post and digest editions share: the input, the budget, the headline and the view data the
// templates are filled with.

/** What renderEdition renders: the posts, their kind of edition, and the list, config and templates it is for. */
export interface RenderEditionInput {
  readonly kind: 'post' | 'digest';
  readonly posts: readonly Post[];
  readonly list: ListConfig;
  readonly config: Config;
  readonly templates: TemplateSources;
  readonly editionId: string;
  readonly now: Date;
  /** Where "View in browser" goes; default: the post's archive page (digest: the digest's page). */
  readonly webUrl?: string;
  /**
   * Sizes of images measured at render time, by URL (see `imagesToMeasure` and the ImageDimensions port):
   * body images whose source states no size get their real aspect ratio from here.
   */
  readonly imageSizes?: ImageSizes;
}

/** What rendering one kind of edition gives, before the plain-text twin and the stored slots. */
export interface RenderedBody {
  readonly html: string;
  readonly subject: string;
  readonly preheader: string;
  /** Warnings of the rendering itself, after the posts' own. */
  readonly warnings: readonly Warning[];
}

// Room kept under the budget for what the slots become per recipient (two signed URLs, a name, an address).
const SLOT_RESERVE_BYTES = 1024;

/** The bytes of HTML an edition may have before it is cut: the configured budget less the slots' room. */
export function htmlBudget(config: Config): number {
  return config.sending.htmlBudgetKb * 1024 - SLOT_RESERVE_BYTES;
}

/** Subject and preheader templates used when the templates folder has no `subjects.json`. */
export const DEFAULT_SUBJECTS: NonNullable<TemplateSources['subjects']> = {
  post: {
    subject: '{{post.title}}',
    preheader: '{{#if post.subtitle}}{{post.subtitle}}{{else}}{{post.excerpt}}{{/if}}',
  },
  digest: {
    subject: '{{t "email.digestSubject" count=count site=site.name}}',
    preheader: '{{#each posts}}{{#unless @first}} · {{/unless}}{{title}}{{/each}}',
  },
};

/**
 * The subject and preheader, from their templates: plain text, one line (CR/LF and control characters go),
 * at most 250 and 150 characters.
 */
export function headline(
  input: RenderEditionInput,
  i18n: Translator,
): { subject: string; preheader: string } {
  const templates = (input.templates.subjects ?? DEFAULT_SUBJECTS)[input.kind];
  const data = {
    i18n,
    site: input.config.site,
    list: { id: input.list.id, name: input.list.name },
    post: input.posts[0],
    posts: input.posts,
    count: input.posts.length,
    one: input.posts.length === 1,
  };
  const text = (source: string, max: number) =>
    truncateAtWord(fillTemplate(source, data, input.templates.partials, { noEscape: true }), max, {
      keepPunctuation: true,
    });
  return {
    subject: text(templates.subject, 250),
    preheader: text(templates.preheader, 150),
  };
}

/**
 * The view data every edition template gets: site, list, theme, the language (`lang`, `dir`, the sides
 * `start`/`end` that mirror for right-to-left, and `i18n` for the templates' `{{t "key"}}`), web link and
 * slot markers.
 */
export function baseView(
  input: RenderEditionInput,
  slot: Readonly<Record<SlotName, string>>,
  i18n: Translator,
) {
  const { config, list, templates } = input;
  const first = input.posts[0];
  // "View in browser": the post's page in the web archive (publish keeps it written); a digest's page, which
  // the digest writes before its edition is planned (use-cases/run-digest.ts).
  const archiveUrl = `${config.publicUrl.replace(/\/+$/, '')}/archive`;
  const webUrl =
    input.webUrl ??
    (input.kind === 'post' && first
      ? postPageUrl(archiveUrl, first)
      : input.kind === 'digest'
        ? digestPageUrl(archiveUrl, input.editionId)
        : `${archiveUrl}/`);
  // A right-to-left language, or (in any list) titles mostly in a right-to-left script.
  const rtl = i18n.dir === 'rtl' || isRtl(input.posts.map((p) => p.title).join(' '));
  return {
    site: config.site,
    list: { id: list.id, name: list.name, description: list.description },
    theme: templates.theme,
    i18n,
    lang: i18n.language,
    ...sides(rtl),
    webUrl,
    slot,
  };
}

/** The text direction and the sides that mirror with it, for templates (`align="{{start}}"`). */
export function sides(rtl: boolean) {
  return rtl
    ? { dir: 'rtl' as const, rtl: true, start: 'right' as const, end: 'left' as const }
    : { dir: 'ltr' as const, rtl: false, start: 'left' as const, end: 'right' as const };
}

/** The view data of {@link baseView}. */
export type BaseView = ReturnType<typeof baseView>;

/** Theme values for other emails (confirmation, welcome) rendered through the same partials, in a language. */
export function themeView(config: Config, theme: Theme, i18n: Translator) {
  return { site: config.site, theme, i18n, lang: i18n.language, ...sides(i18n.dir === 'rtl') };
}

/** A post as the templates show it: title, subtitle, link, cover, byline and a date in the list's language. */
export function postView(post: Post, i18n: Translator) {
  return {
    title: post.title,
    subtitle: post.subtitle,
    url: post.url,
    cover: post.cover,
    byline: post.authors.length > 0 ? i18n.t('email.byline', { names: i18n.list(post.authors) }) : '',
    dateLabel: i18n.date(post.date),
  };
}

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

/**
 * A byte count as people read it in a warning.
 *
 * @example
 * kb(2048) // '2.0 KB'
 */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function isRtl(text: string): boolean {
  const rtl = (text.match(/[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/g) ?? []).length;
  const ltr = (text.match(/[A-Za-z\u00c0-\u024f\u0400-\u04ff]/g) ?? []).length;
  return rtl > ltr;
}
