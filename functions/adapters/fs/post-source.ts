import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import { parseFeed } from '../../core/posts/feed.ts';
import { parseMarkdownPost } from '../../core/posts/markdown.ts';
import type { Post } from '../../core/posts/post.ts';
import { decodeDocument, type FetchOptions, fetchDocument } from '../web/feed-fetch.ts';

export interface LoadPostsOptions extends FetchOptions {
  /** The site's base URL (config `site.url`), for the default canonical URL of Markdown posts. */
  readonly siteUrl: string;
}

/**
 * Reads posts from a Markdown file, a folder of Markdown files, a feed file (RSS, Atom or JSON Feed,
 * recognized by its content), or an http(s) URL of a feed or a Markdown file.
 *
 * @throws InvalidInputError with one line naming the input: `could not be read: HTTP 404`, a timeout, a body
 *   over the size cap, not a feed, or a front matter error.
 */
export async function loadPosts(input: string, opts: LoadPostsOptions): Promise<Post[]> {
  if (/^https?:\/\//i.test(input)) {
    const { text } = await fetchDocument(input, opts);
    return parseDocument(text ?? '', input, opts.siteUrl);
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(input)) {
    throw new InvalidInputError('SOURCE_UNREADABLE', `${input}: only files and http(s) URLs can be read`);
  }
  const info = await stat(input).catch((cause: NodeJS.ErrnoException) => {
    throw new InvalidInputError(
      'SOURCE_UNREADABLE',
      `${input}: could not be read: ${cause.code === 'ENOENT' ? 'no such file' : cause.message}`,
      { cause },
    );
  });
  if (info.isDirectory()) {
    const names = (await readdir(input)).filter((n) => /\.(md|markdown)$/i.test(n)).sort();
    if (names.length === 0) {
      throw new InvalidInputError('SOURCE_UNREADABLE', `${input}: a folder with no .md files in it`);
    }
    const texts = await Promise.all(names.map((n) => readFile(join(input, n), 'utf8')));
    return texts.map((t, i) =>
      parseMarkdownPost(t, { path: join(input, names[i] ?? ''), siteUrl: opts.siteUrl }),
    );
  }
  return parseDocument(decodeDocument(await readFile(input)), input, opts.siteUrl);
}

/** Decides by extension, then by content, whether `text` is a Markdown post or a feed. */
function parseDocument(text: string, source: string, siteUrl: string): Post[] {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const markdownName = /\.(md|markdown)$/i.test(extname(source.split('?')[0] ?? ''));
  if (markdownName || start.startsWith('---')) return [parseMarkdownPost(text, { path: source, siteUrl })];
  if (start.startsWith('<') || start.startsWith('{') || start.startsWith('['))
    return parseFeed(text, { source, siteUrl });
  throw new InvalidInputError(
    'FEED_NOT_A_FEED',
    `${source}: not a post or a feed; expected a .md file with front matter, or an RSS, Atom or JSON feed`,
  );
}
