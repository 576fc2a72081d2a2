import { type CheerioAPI, load } from 'cheerio/slim';
import sanitizeHtml from 'sanitize-html';
import { SANITIZE_OPTIONS } from './body-allowlist.ts';
import { normalizeImages, replaceEmbeds } from './body-media.ts';
import { capNesting } from './nesting.ts';
import type { Media, Warning } from './post.ts';
import {
  cutAtPaywall,
  linkPostEmbeds,
  normalizeButtons,
  normalizeFigures,
  normalizeFootnotes,
} from './substack-markup.ts';
import { IMAGE_SCHEMES, oneLine, safeUrl, truncateAtWord, WEB_SCHEMES } from './text.ts';
import { WarningCollector } from './warnings.ts';

/** What {@link normalizeBody} needs to know about the post the body belongs to. */
export interface NormalizeBodyOptions {
  /** The post's canonical URL: relative URLs resolve against it and "Continue reading" links to it. */
  readonly baseUrl: string;
}

/** A body made safe for email, the media its embeds became, and what was changed on the way. */
export interface NormalizedBody {
  /** Sanitized HTML; each former embed is a `div.tidings-media[data-media-index=N]` indexing `media`. */
  readonly html: string;
  /** One entry per placeholder, in document order. */
  readonly media: Media[];
  readonly warnings: Warning[];
}

const FORM_SELECTOR = 'form, input, button, select, textarea, fieldset';
const SUBSCRIBE_SELECTOR =
  '.subscription-widget-wrap-editor, .subscription-widget-wrap, .subscription-widget';
const OWN_CLASSES = ['tidings-media', 'tidings-button', 'tidings-button-row', 'tidings-figure'];
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'background', 'action', 'formaction', 'xlink:href', 'cite'];

/**
 * Turns the HTML of a post (rendered Markdown or a feed item's content) into email-ready HTML:
 * - Substack markup becomes plain semantic HTML: captioned images → `figure.tidings-figure`, button wrappers →
 *   `p.tidings-button-row > a.tidings-button`, the subscribe widget is dropped, the paywall jump cuts the body
 *   and adds a "Continue reading" button, footnotes are kept, digest post embeds become links;
 * - embeds (iframes, Substack native video, a paragraph that is only a YouTube/Vimeo/Spotify/Apple
 *   Podcasts/SoundCloud link) become `div.tidings-media` placeholders indexing the returned `media`;
 * - scripts, styles, forms, iframes, event handlers and non-web URLs are removed (with a warning each), and an
 *   allowlist (sanitize-html) removes whatever else is not known to be safe;
 * - relative URLs are resolved against `baseUrl`; images get width/height (at most 600 px wide), a fluid
 *   style and an alt.
 *
 * @example
 * normalizeBody('<p>Hi<script>x()</script></p>', { baseUrl: 'https://example.com/p/hi' })
 * // { html: '<p>Hi</p>', media: [], warnings: [{ code: 'DROPPED_SCRIPT', message: 'removed 1 <script> …' }] }
 */
export function normalizeBody(html: string, opts: NormalizeBodyOptions): NormalizedBody {
  const $ = load(html, {}, false);
  const warnings = new WarningCollector();
  const media: Media[] = [];
  // First, before anything walks or serializes the tree: a cap on nesting (recursion-free).
  capNesting($, warnings);

  // Markers the renderer trusts must come from this function only, never from the post itself.
  $(OWN_CLASSES.map((c) => `.${c}`).join(',')).removeClass(OWN_CLASSES.join(' '));
  $('[data-media-index]').removeAttr('data-media-index');

  cutAtPaywall($, opts.baseUrl, warnings);
  dropUnsafeElements($, warnings);
  // From here on every URL in the tree is absolute and safe, so the transforms can trust them.
  cleanAttributes($, opts.baseUrl, warnings);
  normalizeFootnotes($);
  linkPostEmbeds($, opts.baseUrl);
  normalizeFigures($);
  replaceEmbeds($, opts.baseUrl, media, warnings);
  normalizeButtons($);
  normalizeImages($, warnings);

  const clean = sanitizeHtml($.html(), SANITIZE_OPTIONS).trim();
  return { html: clean, media, warnings: warnings.list() };
}

/**
 * The first paragraph of a body as plain text, at most `max` characters, cut at a word boundary.
 * Buttons, media placeholders, figures and footnotes are not paragraphs a reader would call "the start".
 */
export function excerptFromHtml(html: string, max = 300): string {
  const $ = load(html, {}, false);
  $('sup.footnote-ref, .tidings-button-row, .tidings-media, figure, .footnotes').remove();
  for (const p of $('p').toArray()) {
    const text = oneLine($(p).text());
    if (text) return truncateAtWord(text, max);
  }
  return truncateAtWord($.root().text(), max);
}

function dropUnsafeElements($: CheerioAPI, warnings: WarningCollector): void {
  const drop = (selector: string, code: Parameters<WarningCollector['add']>[0], what: string) => {
    // Count the outermost matches only: a widget inside a widget wrapper is one widget.
    const found = $(selector).filter((_, el) => $(el).parents(selector).length === 0);
    if (found.length === 0) return;
    warnings.add(code, `removed ${found.length} ${what}${found.length > 1 ? 's' : ''} from the body`);
    found.remove();
  };
  drop(SUBSCRIBE_SELECTOR, 'DROPPED_SUBSCRIBE_WIDGET', 'subscribe widget');
  drop('script', 'DROPPED_SCRIPT', '<script> element');
  drop('style, link[rel~="stylesheet" i]', 'DROPPED_STYLE', '<style> element');
  drop(FORM_SELECTOR, 'DROPPED_FORM', 'form element');
  drop('object, embed, applet', 'DROPPED_IFRAME', '<object>/<embed> element');
  // Not worth a warning: invisible or meaningless in email.
  $('noscript, template, svg, math, meta, base, title, head, link').remove();
  // <picture> offers alternative sources to browsers; the <img> inside is the one email clients show.
  $('picture').each((_, el) => {
    const img = $(el).find('img').first();
    $(el).replaceWith(img.length ? img : '');
  });
}

function cleanAttributes($: CheerioAPI, baseUrl: string, warnings: WarningCollector): void {
  $('*').each((_, el) => {
    if (!('attribs' in el)) return;
    for (const name of Object.keys(el.attribs)) {
      if (/^on/i.test(name)) {
        warnings.add(
          'DROPPED_EVENT_HANDLER',
          `removed an event-handler attribute (${name}) from <${el.tagName}>`,
        );
        delete el.attribs[name];
      }
    }
    for (const name of URL_ATTRIBUTES) {
      const value = el.attribs[name];
      if (value === undefined) continue;
      const schemes = el.tagName === 'img' ? IMAGE_SCHEMES : WEB_SCHEMES;
      const safe = safeUrl(value, baseUrl, schemes);
      if (safe) {
        el.attribs[name] = safe;
        continue;
      }
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(oneLine(value).replace(/\s+/g, ''))?.[1]?.toLowerCase();
      warnings.add(
        'UNSAFE_URL',
        `removed ${scheme ? `a ${scheme}: URL` : 'an invalid URL'} from <${el.tagName} ${name}>`,
      );
      if (el.tagName === 'img') $(el).remove();
      else delete el.attribs[name];
    }
  });
}
