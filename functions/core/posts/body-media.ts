import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { recognizeEmbed } from './embeds.ts';
import { sizeFromDataAttrs, sizeFromUrl } from './image-hints.ts';
import type { Media } from './post.ts';
import { dataAttrs, stringField } from './substack-markup.ts';
import { IMAGE_SCHEMES, oneLine, parseDuration, safeUrl } from './text.ts';
import type { WarningCollector } from './warnings.ts';

/** The widest an image may be in the email, in CSS pixels (the template's content column). */
export const MAX_IMAGE_WIDTH = 600;

/**
 * Embeds (iframes, Substack native video and YouTube wraps, a paragraph that is only a media link) become
 * `div.tidings-media` placeholders, each indexing the `media` item it stands for; unknown frames are dropped.
 */
export function replaceEmbeds(
  $: CheerioAPI,
  baseUrl: string,
  media: Media[],
  warnings: WarningCollector,
): void {
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

/** Every image gets an alt, a width (at most {@link MAX_IMAGE_WIDTH}), a height when known, and a fluid style. */
export function normalizeImages($: CheerioAPI, warnings: WarningCollector): void {
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
    // The size from the source: the attributes, else Substack's data-attrs, else what the CDN URL states.
    const stated =
      positiveInt(img.attr('width')) !== undefined && positiveInt(img.attr('height')) !== undefined;
    const hinted = stated
      ? undefined
      : (sizeFromDataAttrs(dataAttrs(img)) ?? sizeFromUrl(img.attr('src') ?? ''));
    const width = hinted?.width ?? positiveInt(img.attr('width'));
    const height = hinted?.height ?? positiveInt(img.attr('height'));
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
