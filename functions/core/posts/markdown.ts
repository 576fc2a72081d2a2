import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import markdownItAttrs from 'markdown-it-attrs';
import markdownItFootnote from 'markdown-it-footnote';
import { parse as parseYaml } from 'yaml';
import { InvalidInputError } from '../errors.ts';
import { excerptFromHtml, normalizeBody } from './body.ts';
import { contentHash } from './content-hash.ts';
import { type FrontMatter, isoDate, validateFrontMatter } from './front-matter.ts';
import type { Media, Post } from './post.ts';
import {
  IMAGE_SCHEMES,
  oneLine,
  parseDuration,
  requireHttpUrl,
  safeUrl,
  slugify,
  truncateAtWord,
  unreservedSlug,
} from './text.ts';
import { WarningCollector } from './warnings.ts';

/** Where a Markdown post comes from, for error messages and default URLs. */
export interface ParseMarkdownOptions {
  /** The file name or URL the text was read from; errors name it, and the default slug is its base name. */
  readonly path: string;
  /** The site's base URL (config `site.url`); the default canonical URL is `siteUrl/slug`. */
  readonly siteUrl: string;
}

// Raw HTML is allowed (authors paste embeds); the sanitizer decides what survives. `{.button}` after a link
// makes it a button; markdown-it-attrs may set nothing but a class, so it cannot smuggle in attributes.
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true })
  .use(markdownItFootnote)
  .use(markdownItAttrs, { allowedAttributes: ['class'] });

/**
 * Parses a Markdown post with YAML front matter into a {@link Post}.
 *
 * Front matter fields are those of DESIGN.md: `title` and `date` are required; `slug` defaults to the file
 * name, `url` to `siteUrl/slug`, `send` to `instant`. A link followed by `{.button}` becomes a button, and a
 * paragraph that is only a YouTube/Vimeo/Spotify/Apple Podcasts/SoundCloud link becomes a media card.
 *
 * @throws InvalidInputError (one line naming the file and the field) when the front matter is missing or wrong.
 * @example
 * parseMarkdownPost('---\ntitle: Hello\ndate: 2026-03-01\n---\nHi!', {
 *   path: 'posts/hello.md', siteUrl: 'https://example.com',
 * }).url // 'https://example.com/hello'
 */
export function parseMarkdownPost(source: string, opts: ParseMarkdownOptions): Post {
  const file = opts.path;
  const siteUrl = requireHttpUrl(opts.siteUrl, 'siteUrl').replace(/\/+$/, '');
  const text = source.replace(/^\uFEFF/, '');
  if (!/^---\s*\r?\n/.test(text)) {
    throw new InvalidInputError(
      'POST_FRONT_MATTER_MISSING',
      `${file}: no front matter; start the file with "---", then at least "title:" and "date:", then "---"`,
    );
  }
  let parsed: { data: unknown; content: string };
  try {
    // The `yaml` engine (YAML 1.2) keeps dates as the author wrote them instead of turning them into Date
    // objects in the machine's time zone. Passing options also turns off gray-matter's global cache.
    parsed = matter(text, { engines: { yaml: (s: string) => parseYaml(s) as object } });
  } catch (cause) {
    const reason = oneLine((cause as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    throw new InvalidInputError(
      'POST_FRONT_MATTER_INVALID',
      `${file}: front matter is not valid YAML: ${reason}`,
      {
        cause,
      },
    );
  }
  const { frontMatter: fm, unknownFields } = validateFrontMatter(parsed.data, file);
  const warnings = new WarningCollector();
  for (const field of unknownFields) {
    warnings.add(
      'UNKNOWN_FRONT_MATTER_FIELD',
      `${file}: front matter field "${field}" is not known and was ignored`,
    );
  }

  const slug = fm.slug ?? unreservedSlug(slugify(baseName(file)) || 'post');
  const url = fm.url ?? `${siteUrl}/${slug}`;
  const body = normalizeBody(markdown.render(parsed.content), { baseUrl: url });
  warnings.addAll(body.warnings);

  const extra = frontMatterMedia(fm, url).filter((m) => !body.media.some((b) => b.url === m.url));
  const media = [...body.media, ...extra];
  const cover = coverOf(fm, url, file, warnings);
  const title = oneLine(fm.title);
  const subtitle = fm.subtitle === undefined ? undefined : oneLine(fm.subtitle);
  const excerpt = fm.excerpt === undefined ? excerptFromHtml(body.html) : truncateAtWord(fm.excerpt, 300);

  return {
    id: slug,
    slug,
    title,
    ...(subtitle ? { subtitle } : {}),
    authors: asList(fm.author).map(oneLine).filter(Boolean),
    date: isoDate(fm.date) ?? fm.date,
    url,
    ...(cover ? { cover } : {}),
    bodyHtml: body.html,
    excerpt,
    tags: asList(fm.tags)
      .flatMap((t) => t.split(','))
      .map(oneLine)
      .filter(Boolean),
    media,
    ...(fm.lists === undefined ? {} : { lists: asList(fm.lists).map(oneLine).filter(Boolean) }),
    send: fm.send ?? 'instant',
    draft: fm.draft ?? false,
    ...(fm.archive === false ? { archive: false } : {}),
    // YAML reads an unquoted date-time as a Date (in UTC): keep the moment, as ISO 8601.
    ...(fm.sendAt === undefined
      ? {}
      : { sendAt: fm.sendAt instanceof Date ? fm.sendAt.toISOString() : fm.sendAt }),
    ...(fm.url === undefined ? { urlFromSlug: true } : {}),
    contentHash: contentHash({
      title,
      ...(subtitle ? { subtitle } : {}),
      bodyHtml: body.html,
      ...(cover ? { cover } : {}),
      media,
    }),
    warnings: warnings.list(),
  };
}

function frontMatterMedia(fm: FrontMatter, baseUrl: string): Media[] {
  return (fm.media ?? []).flatMap((m): Media[] => {
    const url = safeUrl(m.url, baseUrl);
    if (!url) return [];
    const image = m.image ? safeUrl(m.image, baseUrl, IMAGE_SCHEMES) : undefined;
    const duration = parseDuration(m.duration);
    return [
      {
        kind: m.kind,
        url,
        provider: 'front-matter',
        ...(m.title ? { title: oneLine(m.title) } : {}),
        ...(duration === undefined ? {} : { duration }),
        ...(image ? { image } : {}),
        ...(m.type ? { type: m.type } : {}),
      },
    ];
  });
}

function coverOf(
  fm: FrontMatter,
  baseUrl: string,
  file: string,
  warnings: WarningCollector,
): { url: string; alt: string } | undefined {
  if (!fm.cover) return undefined;
  const url = safeUrl(fm.cover, baseUrl, IMAGE_SCHEMES);
  if (!url) {
    throw new InvalidInputError(
      'POST_FIELD_INVALID',
      `${file}: front matter "cover" must be an http(s) image URL or a relative path (got "${oneLine(fm.cover)}")`,
    );
  }
  const alt = oneLine(fm.coverAlt ?? '');
  if (!alt)
    warnings.add(
      'IMAGE_NO_ALT',
      `${file}: the cover image has no "coverAlt"; add one for readers who cannot see it`,
    );
  return { url, alt };
}

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function baseName(path: string): string {
  const last = path.split(/[\\/]/).pop() ?? path;
  return last.replace(/\.(md|markdown|mdx)$/i, '');
}
