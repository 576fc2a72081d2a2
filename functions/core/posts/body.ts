import { type Cheerio, type CheerioAPI, load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import sanitizeHtml from 'sanitize-html';
import { recognizeEmbed } from './embeds.ts';
import type { Media, Warning } from './post.ts';
import { IMAGE_SCHEMES, oneLine, parseDuration, safeUrl, truncateAtWord, WEB_SCHEMES } from './text.ts';
import { WarningCollector } from './warnings.ts';

/** The widest an image may be in the email, in CSS pixels (the template's content column). */
export const MAX_IMAGE_WIDTH = 600;

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

// The allowlist. Anything not named here is removed by sanitize-html, whatever the transforms missed.
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'img',
    'figure',
    'figcaption',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'small',
    'mark',
    'code',
    'pre',
    'kbd',
    'samp',
    'abbr',
    'cite',
    'q',
    'span',
    'div',
    'section',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: {
    '*': ['dir', 'lang', 'title'],
    a: ['href', 'id', 'class'],
    img: ['src', 'alt', 'width', 'height', 'style'],
    div: ['class', 'data-media-index'],
    p: ['class'],
    figure: ['class'],
    sup: ['class', 'id'],
    li: ['class', 'id'],
    ol: ['class', 'start', 'reversed'],
    section: ['class'],
    hr: ['class'],
    code: ['class'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align', 'scope'],
  },
  allowedClasses: {
    a: ['tidings-button', 'footnote-backref'],
    p: ['tidings-button-row'],
    div: ['tidings-media'],
    figure: ['tidings-figure'],
    sup: ['footnote-ref'],
    li: ['footnote-item'],
    ol: ['footnotes-list'],
    section: ['footnotes'],
    hr: ['footnotes-sep'],
    code: [/^language-[\w-]+$/],
  },
  allowedStyles: { img: { 'max-width': [/^100%$/], height: [/^auto$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // These carry no readable text for a reader of the email; their contents go with them.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'title',
    'template',
    'svg',
    'math',
    'iframe',
    'object',
  ],
};

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

function cutAtPaywall($: CheerioAPI, baseUrl: string, warnings: WarningCollector): void {
  const jump = $('.paywall-jump').first();
  if (jump.length === 0) return;
  // Everything after the marker, at every level up to the root, is paid content.
  let node: Cheerio<AnyNode> = jump;
  while (node.length > 0) {
    node.nextAll().remove();
    node = node.parent();
  }
  jump.remove();
  $.root().append(buttonRow($, [{ href: baseUrl, text: 'Continue reading' }]));
  warnings.add('PAYWALL_CUT', 'the body was cut at the paywall and ends with a "Continue reading" button');
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

/** Substack's footnotes become the shape markdown-it-footnote gives, so the renderer styles one shape. */
function normalizeFootnotes($: CheerioAPI): void {
  $('a.footnote-anchor').each((_, el) => {
    const a = $(el);
    const id = a.attr('id');
    const ref = $('<sup class="footnote-ref"></sup>');
    const link = $('<a></a>')
      .attr('href', a.attr('href') ?? '')
      // Bracketed like markdown-it-footnote's refs, so the plain-text part reads "reader[1]", not "reader1".
      .text(`[${oneLine(a.text())}]`);
    if (id) link.attr('id', id);
    a.replaceWith(ref.append(link));
  });
  const notes = $('div.footnote');
  if (notes.length === 0) return;
  const list = $('<ol class="footnotes-list"></ol>');
  notes.each((_, el) => {
    const note = $(el);
    const number = note.find('a.footnote-number').first();
    const item = $('<li class="footnote-item"></li>');
    const id = number.attr('id');
    if (id) item.attr('id', id);
    item.append(
      note.find('.footnote-content').first().contents().length
        ? note.find('.footnote-content').first().contents()
        : note.contents().not(number),
    );
    const back = number.attr('href');
    if (back) item.append($('<a class="footnote-backref">↩︎</a>').attr('href', back));
    list.append(item);
  });
  notes.first().before('<hr class="footnotes-sep">');
  notes.first().replaceWith($('<section class="footnotes"></section>').append(list));
  $('div.footnote').remove();
}

/** Substack's `digest-post-embed` / `embedded-post-wrap` (a card for another post) becomes a plain link. */
function linkPostEmbeds($: CheerioAPI, baseUrl: string): void {
  $('.digest-post-embed, .embedded-post-wrap').each((_, el) => {
    const node = $(el);
    const attrs = dataAttrs(node);
    const anchor = node.find('a[href]').first();
    const href = stringField(attrs, 'canonical_url') ?? stringField(attrs, 'url') ?? anchor.attr('href');
    const title =
      stringField(attrs, 'title') ??
      oneLine(node.find('h1, h2, h3, h4, .embedded-post-title').first().text() || anchor.text());
    const safe = href ? safeUrl(href, baseUrl) : undefined;
    if (!safe) {
      node.remove();
      return;
    }
    node.replaceWith(
      $('<p></p>').append(
        $('<a></a>')
          .attr('href', safe)
          .text(title || safe),
      ),
    );
  });
}

/** Captioned images (Substack's and any `<figure>` with an image) become `figure.tidings-figure`. */
function normalizeFigures($: CheerioAPI): void {
  $('figure').each((_, el) => {
    const figure = $(el);
    const img = figure.find('img').first();
    if (img.length === 0) return;
    const caption = figure.find('figcaption').first();
    const out = $('<figure class="tidings-figure"></figure>').append(img.clone());
    if (caption.length && oneLine(caption.text()))
      out.append($('<figcaption></figcaption>').append(caption.contents()));
    const container = figure.parent('.captioned-image-container');
    (container.length ? container : figure).replaceWith(out);
  });
  // A Markdown image alone in its paragraph, with a title: the title is its caption.
  $('p').each((_, el) => {
    const p = $(el);
    const img = p.children('img');
    const title = img.attr('title');
    if (img.length !== 1 || p.children().length !== 1 || oneLine(p.text()) !== '' || !title) return;
    img.removeAttr('title');
    p.replaceWith(
      $('<figure class="tidings-figure"></figure>').append(img, $('<figcaption></figcaption>').text(title)),
    );
  });
}

function replaceEmbeds($: CheerioAPI, baseUrl: string, media: Media[], warnings: WarningCollector): void {
  const root = $.root()[0];
  const attached = (el: AnyNode) => {
    let node: AnyNode = el;
    while (node.parent) node = node.parent;
    return node === root;
  };
  const place = (target: Cheerio<AnyNode>, item: Media) => {
    const placeholder = `<div class="tidings-media" data-media-index="${media.length}"></div>`;
    media.push(item);
    // A block cannot sit inside a paragraph or heading: put the card right after it instead.
    const inline = target.is('p')
      ? target.parent().closest('p, h1, h2, h3, h4, h5, h6')
      : target.closest('p, h1, h2, h3, h4, h5, h6');
    if (inline.length === 0) {
      target.replaceWith(placeholder);
      return;
    }
    target.remove();
    inline.after(placeholder);
    if (oneLine(inline.text()) === '' && inline.find('img').length === 0) inline.remove();
  };

  for (const el of $('iframe, .native-video-embed, .youtube-wrap, p').toArray()) {
    if (!attached(el)) continue;
    const node = $(el);
    if (el.tagName === 'iframe') {
      const src = node.attr('src') ?? '';
      const found = recognizeEmbed(safeUrl(src, baseUrl) ?? '');
      if (found) place(outermostWrapper(node), withDataAttrs(found, dataAttrs(node)));
      else {
        warnings.add(
          'DROPPED_IFRAME',
          `removed an embedded frame${hostOf(src, baseUrl)} (email clients cannot show frames)`,
        );
        outermostWrapper(node).remove();
      }
    } else if (node.hasClass('youtube-wrap')) {
      const id = stringField(dataAttrs(node), 'videoId');
      const found = id
        ? recognizeEmbed(`https://www.youtube.com/watch?v=${encodeURIComponent(id)}`)
        : undefined;
      if (found) place(node, found);
    } else if (node.hasClass('native-video-embed')) {
      const attrs = dataAttrs(node);
      const duration = parseDuration(attrs?.duration);
      const item: Media = {
        kind: 'video',
        provider: 'substack-video',
        url: baseUrl,
        title: 'Watch the video',
      };
      place(node, duration === undefined ? item : { ...item, duration });
    } else if (el.tagName === 'p') {
      const link = node.children('a[href]');
      if (link.length !== 1 || node.children().length !== 1) continue;
      if (oneLine(node.text()) !== oneLine(link.text())) continue;
      const href = link.attr('href') ?? '';
      const found = recognizeEmbed(safeUrl(href, baseUrl) ?? '');
      if (!found) continue;
      const text = oneLine(link.text());
      const looksLikeUrl = /^(https?:\/\/|www\.)/i.test(text) || text === '';
      place(node, looksLikeUrl ? found : { ...found, title: text });
    }
  }
}

/** The iframe plus the wrappers around it that hold nothing else (Substack nests two or three). */
function outermostWrapper(node: Cheerio<Element>): Cheerio<AnyNode> {
  let current: Cheerio<AnyNode> = node;
  for (;;) {
    const parent = current.parent();
    const tag = parent[0] && 'tagName' in parent[0] ? parent[0].tagName : undefined;
    if (!tag || !['div', 'figure', 'p', 'span', 'center'].includes(tag)) return current;
    if (parent.children().length !== 1 || oneLine(parent.text()) !== '') return current;
    current = parent;
  }
}

function normalizeButtons($: CheerioAPI): void {
  const squash = (text: string) => text.replace(/\s+/g, '');
  // A paragraph of nothing but buttons (Substack's p.button-wrapper, or Markdown links marked {.button})
  // becomes a row of buttons.
  $('p.button-wrapper, p:has(> a.button)').each((_, el) => {
    const p = $(el);
    const links = p.children('a');
    const onlyLinks =
      links.length > 0 &&
      links.length === p.children().length &&
      squash(p.text()) === squash(links.text()) &&
      (p.hasClass('button-wrapper') || links.filter('.button').length === links.length);
    if (!onlyLinks) return;
    const buttons = links
      .toArray()
      .map((a) => ({ href: $(a).attr('href') ?? '', text: oneLine($(a).text()) }))
      .filter((b) => b.href && b.text);
    p.replaceWith(buttons.length ? buttonRow($, buttons) : '');
  });
  // A button in the middle of text stays a plain link: a button there would break the sentence.
  $('a.button').removeClass('button primary');
}

function buttonRow($: CheerioAPI, links: readonly { href: string; text: string }[]): Cheerio<AnyNode> {
  const row = $('<p class="tidings-button-row"></p>');
  for (const link of links)
    row.append($('<a class="tidings-button"></a>').attr('href', link.href).text(link.text));
  return row;
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

function normalizeImages($: CheerioAPI, warnings: WarningCollector): void {
  $('img').each((_, el) => {
    const img = $(el);
    if (!img.attr('src')) {
      img.remove();
      return;
    }
    const alt = oneLine(img.attr('alt') ?? '');
    if (!alt) {
      warnings.add(
        'IMAGE_NO_ALT',
        `an image has no alt text (${img.attr('src')}); add one for readers who cannot see it`,
      );
    }
    const width = positiveInt(img.attr('width'));
    const height = positiveInt(img.attr('height'));
    for (const name of Object.keys(el.attribs))
      if (!['src', 'alt', 'title'].includes(name)) img.removeAttr(name);
    img.attr('alt', alt);
    const size = fitWidth(width, height);
    img.attr('width', String(size.width));
    if (size.height !== undefined) img.attr('height', String(size.height));
    img.attr('style', 'max-width:100%;height:auto');
  });
}

/** Clamps to {@link MAX_IMAGE_WIDTH}, keeping the aspect ratio when both sides are known. */
function fitWidth(width: number | undefined, height: number | undefined): { width: number; height?: number } {
  // Unknown width: assume the column's width; the fluid style keeps a smaller image from overflowing.
  if (width === undefined) return { width: MAX_IMAGE_WIDTH };
  if (width <= MAX_IMAGE_WIDTH) return height === undefined ? { width } : { width, height };
  return height === undefined
    ? { width: MAX_IMAGE_WIDTH }
    : { width: MAX_IMAGE_WIDTH, height: Math.round((height * MAX_IMAGE_WIDTH) / width) };
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*(px)?\s*$/.test(value)) return undefined;
  const n = Math.round(Number.parseFloat(value));
  return n > 0 ? n : undefined;
}

function dataAttrs(node: Cheerio<AnyNode>): Record<string, unknown> | undefined {
  const raw = node.attr('data-attrs');
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(attrs: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = attrs?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Substack puts the title, image and duration of an embed in `data-attrs`; use them when they are sane. */
function withDataAttrs(item: Media, attrs: Record<string, unknown> | undefined): Media {
  const title = stringField(attrs, 'title');
  const image = stringField(attrs, 'image');
  const safeImage = image ? safeUrl(image, item.url, IMAGE_SCHEMES) : undefined;
  const duration = parseDuration(attrs?.duration);
  return {
    ...item,
    ...(title && !item.title ? { title: oneLine(title) } : {}),
    ...(safeImage && !item.image ? { image: safeImage } : {}),
    ...(duration !== undefined && item.duration === undefined ? { duration } : {}),
  };
}

function hostOf(src: string, baseUrl: string): string {
  const safe = safeUrl(src, baseUrl);
  return safe ? ` from ${new URL(safe).host}` : '';
}
