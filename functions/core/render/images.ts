import { type CheerioAPI, load } from 'cheerio';
import { type ImageSize, sizeFromUrl } from '../posts/image-hints.ts';
import type { Post } from '../posts/post.ts';

export type { ImageSize } from '../posts/image-hints.ts';

/**
 * The width of the email's content column in CSS pixels: the 600 px body less the text's 24 px padding on
 * each side. Nothing in the body may be wider, or it spills out of the card (Outlook for Windows ignores
 * `max-width`, and every client does when the image is blocked and only its box is drawn).
 */
export const COLUMN_WIDTH = 552;

/** Image sizes measured at render time (see the ImageDimensions port), by absolute URL. */
export type ImageSizes = ReadonlyMap<string, ImageSize>;

/**
 * Gives every body image a numeric width of at most the column and a numeric height from its real aspect
 * ratio: from its own `width`/`height`, else the size measured at render time, else the size its URL
 * states. An image whose ratio stays unknown gets the column width and no height (`height:auto`), which
 * every client scales in proportion.
 */
export function fitImages($: CheerioAPI, sizes: ImageSizes | undefined): void {
  $('img').each((_, el) => {
    const img = $(el);
    const src = img.attr('src') ?? '';
    const attrW = positive(img.attr('width'));
    const attrH = positive(img.attr('height'));
    const real =
      attrW !== undefined && attrH !== undefined
        ? { width: attrW, height: attrH }
        : (sizes?.get(src) ?? sizeFromUrl(src));
    // Never wider than the column, the width asked for, or the image itself (no upscaling).
    const shown = Math.min(attrW ?? COLUMN_WIDTH, real?.width ?? COLUMN_WIDTH, COLUMN_WIDTH);
    img.attr('width', String(shown));
    if (real) img.attr('height', String(Math.max(1, Math.round((real.height * shown) / real.width))));
    else img.removeAttr('height');
    img.attr('style', `display:block;width:100%;max-width:${shown}px;height:auto;border:0;`);
  });
}

function positive(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*(px)?\s*$/.test(value)) return undefined;
  const n = Math.round(Number.parseFloat(value));
  return n > 0 ? n : undefined;
}

const YOUTUBE_THUMB = /^https:\/\/(?:img\.youtube\.com|i\.ytimg\.com)\/vi\/([\w-]{6,20})\/[a-z]+\.jpg$/;

/** The 16:9 thumbnail YouTube keeps for most videos (1280×720); not every video has one. */
export function youtubeMaxres(image: string): string | undefined {
  const id = YOUTUBE_THUMB.exec(image)?.[1];
  return id ? `https://i.ytimg.com/vi/${id}/maxresdefault.jpg` : undefined;
}

/**
 * The thumbnail of a video card: YouTube's 16:9 `maxresdefault` when it was measured and is real (a
 * missing one answers 404, or a 120×90 grey placeholder), else the image as it is: the card shows it at
 * 16:9 with `background-size: cover`, which crops the black bars of the 4:3 `hqdefault`.
 */
export function videoThumbnail(image: string, sizes: ImageSizes | undefined): string {
  const maxres = youtubeMaxres(image);
  const size = maxres ? sizes?.get(maxres) : undefined;
  return maxres && size && size.width >= 640 ? maxres : image;
}

/**
 * The height in CSS pixels of an image shown `width` wide, from its measured or stated size; undefined
 * when neither is known (MJML then writes `height="auto"`).
 */
export function heightAt(url: string, width: number, sizes: ImageSizes | undefined): number | undefined {
  const real = sizes?.get(url) ?? sizeFromUrl(url);
  return real ? Math.max(1, Math.round((real.height * width) / real.width)) : undefined;
}

/**
 * The image URLs whose size the renderer would like measured before it renders these posts: body images
 * with no stated ratio, and YouTube's 16:9 thumbnails (to learn whether they exist). Core does no I/O: a
 * use case measures them through the ImageDimensions port and passes the result as `imageSizes`.
 */
export function imagesToMeasure(posts: readonly Post[]): string[] {
  const urls = new Set<string>();
  for (const post of posts) {
    const $ = load(post.bodyHtml, null, false);
    $('img[src]').each((_, el) => {
      const img = $(el);
      const src = img.attr('src') ?? '';
      if (/^https?:/i.test(src) && img.attr('height') === undefined && !sizeFromUrl(src)) urls.add(src);
    });
    if (post.cover && !sizeFromUrl(post.cover.url)) urls.add(post.cover.url);
    for (const m of post.media) {
      const maxres = m.kind === 'video' && m.image ? youtubeMaxres(m.image) : undefined;
      if (maxres) urls.add(maxres);
    }
  }
  return [...urls];
}
