import { InvalidInputError } from '../errors.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Makes one line of plain text: control characters and line breaks become spaces, runs of whitespace
 * collapse, and the ends are trimmed. Titles, names and captions go through it, so a CR/LF in a feed
 * title can never reach an email header. Letters of every script, emoji and bidi marks are kept.
 *
 * @example
 * oneLine('Hello\r\nBcc: x@example.com') // 'Hello Bcc: x@example.com'
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Cuts plain text (made one line first) to at most `max` characters at a word boundary, ending with "…"
 * when it cut. The punctuation before the cut goes too, unless `keepPunctuation` (email subjects and
 * preheaders keep it, as they always have).
 *
 * @example
 * truncateAtWord('one two three', 9) // 'one two…'
 * truncateAtWord('Hello, world', 8, { keepPunctuation: true }) // 'Hello,…'
 */
export function truncateAtWord(
  text: string,
  max: number,
  options: { readonly keepPunctuation?: boolean } = {},
): string {
  const clean = oneLine(text);
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(' ');
  // A single enormous word has no boundary to cut at; cut it hard rather than return nothing.
  const cut = lastSpace > max / 2 ? room.slice(0, lastSpace) : room;
  return `${options.keepPunctuation ? cut.trimEnd() : cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/**
 * Turns a duration into seconds: a number of seconds, or "ss", "mm:ss", "hh:mm:ss" (itunes:duration's
 * forms). Returns undefined for anything else.
 *
 * @example
 * parseDuration('01:02:03') // 3723
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!match) return undefined;
  const [, a, b, c] = match;
  const parts = [a, b, c].filter((p): p is string => p !== undefined).map(Number);
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + part;
  return Math.round(seconds);
}

/**
 * Makes a URL slug: lowercase ASCII letters, digits and single hyphens.
 *
 * @example
 * slugify('Ep. 42: Héllo World!') // 'ep-42-hello-world'
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * Resolves `href` against `base` and returns it when its scheme is one an email may link to
 * (http, https, mailto); returns undefined for `javascript:`, `data:`, `vbscript:` and anything unparsable.
 * WHATWG URL parsing strips the tabs and newlines that browsers ignore, so `java\tscript:` is caught too.
 */
export function safeUrl(
  href: string,
  base: string,
  schemes: readonly string[] = WEB_SCHEMES,
): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  return schemes.includes(url.protocol) ? url.href : undefined;
}

/** Schemes a link in an email may use. */
export const WEB_SCHEMES = ['http:', 'https:', 'mailto:'] as const;
/** Schemes an image may be loaded from (no `data:`: many clients block it and it hides payloads). */
export const IMAGE_SCHEMES = ['http:', 'https:'] as const;

/**
 * Checks that `url` is an absolute http(s) URL, for config values such as the site URL.
 * @throws InvalidInputError naming `what` when it is not.
 */
export function requireHttpUrl(url: string, what: string): string {
  const safe = safeUrl(url, 'invalid:/', IMAGE_SCHEMES);
  if (!safe)
    throw new InvalidInputError('URL_INVALID', `${what} must be an absolute http(s) URL (got "${url}")`);
  return safe;
}

/**
 * Slugs the web archive keeps for its own folders (`page/2/`, `digests/<edition>/`): a post may not take
 * one, or its page and the archive's would share a path.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['page', 'digests']);

/** `slug`, or `slug-2` when the archive keeps it (RESERVED_SLUGS). */
export function unreservedSlug(slug: string): string {
  return RESERVED_SLUGS.has(slug) ? `${slug}-2` : slug;
}
