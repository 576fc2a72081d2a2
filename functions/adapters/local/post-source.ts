import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import { parseFeed } from '../../core/posts/feed.ts';
import { parseMarkdownPost } from '../../core/posts/markdown.ts';
import type { Post } from '../../core/posts/post.ts';

/** How long a feed URL may take, body included, before tidings gives up. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The largest feed tidings reads; real feeds are well under 1 MB, and the cap keeps a bad URL harmless. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export interface LoadPostsOptions {
  /** The site's base URL (config `site.url`), for the default canonical URL of Markdown posts. */
  readonly siteUrl: string;
  /** For http(s) sources. @default 10 000 */
  readonly timeoutMs?: number;
  /** For http(s) sources, enforced while the body streams in. @default 5 MB */
  readonly maxBytes?: number;
  /** The fetch to use (tests, proxies). @default globalThis.fetch */
  readonly fetchImpl?: typeof fetch;
}

/** A document read from a URL, with the validators a conditional GET sends back next time. */
export interface FetchedDocument {
  /** `undefined` when the server answered 304 Not Modified. */
  readonly text: string | undefined;
  readonly etag?: string;
  readonly lastModified?: string;
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
  return parseDocument(await readFile(input, 'utf8'), input, opts.siteUrl);
}

/** Decides by extension, then by content, whether `text` is a Markdown post or a feed. */
function parseDocument(text: string, source: string, siteUrl: string): Post[] {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const markdownName = /\.(md|markdown)$/i.test(extname(source.split('?')[0] ?? ''));
  if (markdownName || start.startsWith('---')) return [parseMarkdownPost(text, { path: source, siteUrl })];
  if (start.startsWith('<') || start.startsWith('{') || start.startsWith('['))
    return parseFeed(text, { source });
  throw new InvalidInputError(
    'FEED_NOT_A_FEED',
    `${source}: not a post or a feed; expected a .md file with front matter, or an RSS, Atom or JSON feed`,
  );
}

/**
 * GETs a URL with a timeout and a size cap enforced while streaming. With `etag`/`lastModified` it sends a
 * conditional GET and returns `text: undefined` on 304 Not Modified.
 *
 * @throws InvalidInputError `<url>: could not be read: …` (HTTP status, timeout, too large, network error).
 */
export async function fetchDocument(
  url: string,
  opts: Omit<LoadPostsOptions, 'siteUrl'> & { readonly etag?: string; readonly lastModified?: string },
): Promise<FetchedDocument> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const doFetch = opts.fetchImpl ?? fetch;
  const fail = (why: string, cause?: unknown) =>
    new InvalidInputError(
      'SOURCE_UNREADABLE',
      `${url}: could not be read: ${why}`,
      cause === undefined ? undefined : { cause },
    );
  const headers: Record<string, string> = {
    accept:
      'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, application/json, text/markdown;q=0.9, */*;q=0.5',
    'user-agent': 'tidings (+https://github.com/tidings)',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

  // One signal for the whole exchange: a server that sends headers and then stalls the body times out too.
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => fail(`no complete answer within ${formatMs(timeoutMs)}`);
  let response: Response;
  try {
    response = await doFetch(url, { headers, signal, redirect: 'follow' });
  } catch (cause) {
    if (signal.aborted) throw timedOut();
    throw fail(networkReason(cause), cause);
  }
  const validators = {
    ...(response.headers.get('etag') ? { etag: response.headers.get('etag') as string } : {}),
    ...(response.headers.get('last-modified')
      ? { lastModified: response.headers.get('last-modified') as string }
      : {}),
  };
  if (response.status === 304) {
    await response.body?.cancel();
    return { text: undefined, ...validators };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const tooLarge = () => fail(`larger than ${formatBytes(maxBytes)} (the size cap)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof InvalidInputError) throw cause;
    if (signal.aborted) throw timedOut();
    throw fail(networkReason(cause), cause);
  }
  return { text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)), ...validators };
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (cause as Error).message ?? 'network error';
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
