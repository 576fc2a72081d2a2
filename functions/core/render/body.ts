import { type CheerioAPI, load } from 'cheerio';
import type { Media, Warning } from '../posts/post.ts';
import { fitImages, type ImageSizes } from './images.ts';

/** A post body made ready for the email, and what the renderer noticed on the way. */
export interface PreparedBody {
  readonly html: string;
  /** Indexes into post.media that had a placeholder in the body (the rest become cards near the top). */
  readonly placed: ReadonlySet<number>;
  /** The "Leave a comment" button, lifted out of the body so it can close the email. */
  readonly comment?: { readonly url: string; readonly label: string };
  readonly warnings: readonly Warning[];
  /** The body opens with its own salutation ("Hi all,"): the email's greeting is left out. */
  readonly greets: boolean;
}

const COMMENT_HREF = /(\/comments?\/?|#comments?)(\?[^#]*)?$/i;
const SAFE_SCHEME = /^(https?:|mailto:)/i;
// Defence in depth: the post source already sanitizes, but the renderer is the last step before an inbox.
const FORBIDDEN =
  'script, style, iframe, frame, frameset, object, embed, form, input, button, select, textarea, link, meta, base, svg, math';

/**
 * Prepares sanitized body HTML for email: replaces media placeholders with cards, gives every image an
 * alt (warning IMAGE_NO_ALT where the author gave none), lifts the comment button out, and drops anything
 * executable that slipped through (script, iframe, form, on* attributes, non-http(s) URLs).
 */
export function prepareBody(
  bodyHtml: string,
  opts: {
    readonly media: readonly Media[];
    readonly baseUrl: string;
    readonly card: (media: Media, index: number) => string;
    /** Image sizes measured at render time, by URL. */
    readonly imageSizes?: ImageSizes | undefined;
  },
): PreparedBody {
  const $ = load(bodyHtml, null, false);
  const warnings: Warning[] = [];
  const placed = new Set<number>();

  $(FORBIDDEN).remove();
  scrubAttributes($, opts.baseUrl);

  $('.tidings-media[data-media-index]').each((_, el) => {
    const index = Number($(el).attr('data-media-index'));
    const media = Number.isInteger(index) ? opts.media[index] : undefined;
    if (!media) {
      warnings.push({
        code: 'MEDIA_PLACEHOLDER_UNKNOWN',
        message: `a media placeholder points at media #${String($(el).attr('data-media-index'))}, which the post does not have; it was left out`,
      });
      $(el).remove();
      return;
    }
    placed.add(index);
    $(el).replaceWith(opts.card(media, index));
  });

  $('img').each((_, el) => {
    const img = $(el);
    if (img.attr('alt') === undefined) {
      warnings.push({
        code: 'IMAGE_NO_ALT',
        message: `image ${img.attr('src') ?? '(no src)'} has no alt text; screen readers and clients that block images show nothing`,
      });
      img.attr('alt', '');
    }
  });

  fitImages($, opts.imageSizes);
  outlineHeadings($);

  let comment: PreparedBody['comment'];
  const button = $('a.tidings-button')
    .filter((_, el) => COMMENT_HREF.test($(el).attr('href') ?? ''))
    .first();
  if (button.length > 0) {
    comment = { url: button.attr('href') ?? '', label: button.text().trim() || 'Leave a comment' };
    const row = button.closest('.tidings-button-row');
    if (row.length > 0 && row.find('a').length === 1) row.remove();
    else button.remove();
  }

  const greets = opensWithGreeting($);
  return comment
    ? { html: $.html(), placed, comment, warnings, greets }
    : { html: $.html(), placed, warnings, greets };
}

/**
 * Body headings follow the email's title (h1) without skipping a level: an h1 in the body becomes an h2,
 * and a heading never goes more than one level below the one before it (h2 → h4 becomes h2 → h3), so a
 * screen reader's outline has no holes.
 */
function outlineHeadings($: CheerioAPI): void {
  let previous = 1;
  $('h1, h2, h3, h4, h5, h6').each((_, el) => {
    if (el.type !== 'tag') return;
    const level = Number(el.tagName.slice(1));
    const fitted = Math.max(2, Math.min(level, previous + 1));
    if (fitted !== level) el.tagName = `h${fitted}`;
    previous = fitted;
  });
}

// "Hi all,", "Hello friends!", "Dear readers,", "Hey there —": a salutation of a few words.
const SALUTATION =
  /^(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|howdy)\b[^.?!\n]{0,40}[,!:\u2014\u2013-]/i;

/** Whether the body's first paragraph opens with its own salutation ("Hi all,"), so the email's greeting would be a second one. */
function opensWithGreeting($: CheerioAPI): boolean {
  const first = $.root().children().first();
  return SALUTATION.test(first.is('p') ? first.text().trim() : '');
}

function scrubAttributes($: CheerioAPI, baseUrl: string): void {
  $('*').each((_, el) => {
    if (el.type !== 'tag') return;
    for (const name of Object.keys(el.attribs)) {
      if (name.toLowerCase().startsWith('on')) {
        delete el.attribs[name];
        continue;
      }
      if (name === 'href' || name === 'src') {
        const value = absolute(el.attribs[name] ?? '', baseUrl);
        if (value) el.attribs[name] = value;
        else delete el.attribs[name];
      }
    }
    delete el.attribs.srcset;
  });
}

/** Resolves a URL against the post URL; returns undefined for anything but http(s) and mailto. */
export function absolute(url: string, baseUrl: string): string | undefined {
  const trimmed = url.trim();
  try {
    const resolved = new URL(trimmed, baseUrl).href;
    return SAFE_SCHEME.test(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the first `keep` top-level blocks of a body and appends a "Continue reading" button (`label`, in
 * the list's language). The cut is
 * made on the parsed tree, so a tag is never split.
 */
export function cutBody(bodyHtml: string, keep: number, url: string, label = 'Continue reading'): string {
  const $ = load(bodyHtml, null, false);
  const blocks = $.root()
    .contents()
    .toArray()
    .filter((n) => n.type === 'tag' || (n.type === 'text' && n.data.trim() !== ''));
  for (const node of blocks.slice(keep)) $(node).remove();
  const row = $('<p class="tidings-button-row"></p>');
  const link = $('<a class="tidings-button"></a>').attr('href', url).text(label);
  row.append(link);
  $.root().append(row);
  return $.html();
}

/** The sizes in bytes of the top-level blocks of a body, in order. */
export function blockSizes(bodyHtml: string): number[] {
  const $ = load(bodyHtml, null, false);
  return $.root()
    .contents()
    .toArray()
    .filter((n) => n.type === 'tag' || (n.type === 'text' && n.data.trim() !== ''))
    .map((n) => Buffer.byteLength($.html(n)));
}
