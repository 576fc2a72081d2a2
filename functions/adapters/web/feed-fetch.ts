import { InvalidInputError } from '../../core/errors.ts';

/** How long a feed URL may take, body included, before tidings gives up. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The largest feed tidings reads; real feeds are well under 1 MB, and the cap keeps a bad URL harmless. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** How to read an http(s) source. */
export interface FetchOptions {
  /** The whole exchange, body included. @default 10 000 */
  readonly timeoutMs?: number;
  /** Enforced while the body streams in. @default 5 MB */
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
 * GETs a URL with a timeout and a size cap enforced while streaming. With `etag`/`lastModified` it sends a
 * conditional GET and returns `text: undefined` on 304 Not Modified.
 *
 * @throws InvalidInputError `<url>: could not be read: …` (HTTP status, timeout, too large, network error).
 */
export async function fetchDocument(
  url: string,
  opts: FetchOptions & { readonly etag?: string; readonly lastModified?: string } = {},
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
    'user-agent': 'tidings-feed-reader/0.1',
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
  return { text: decodeDocument(Buffer.concat(chunks), response.headers.get('content-type')), ...validators };
}

/**
 * Decodes a document's bytes: the charset of the Content-Type header, else the encoding an XML declaration
 * names, else UTF-8 (a byte-order mark wins over all of them). Old feeds in ISO-8859-1 or windows-1252
 * still exist, and decoding them as UTF-8 would turn every accent into a replacement character.
 */
export function decodeDocument(bytes: Uint8Array, contentType?: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    // An encoding label TextDecoder does not know: UTF-8 is the best remaining guess.
    return new TextDecoder('utf-8').decode(bytes);
  }
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
