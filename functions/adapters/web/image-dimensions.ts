import { imageSize } from 'image-size';
import type { ImageSize } from '../../core/render/images.ts';
import type { ImageDimensions } from '../../ports/image-dimensions.ts';

/** How the header reads are bounded. */
export interface HttpImageDimensionsOptions {
  /** All the images of one edition together; what is not measured by then is left out. @default 3 000 */
  readonly timeBudgetMs?: number;
  /** Bytes read from each image: the header of a JPEG, PNG, GIF or WebP is in the first few KB. @default 65 536 */
  readonly maxBytes?: number;
  /** Images measured per edition; the rest keep the default. @default 40 */
  readonly maxImages?: number;
  /** Requests at once. @default 4 */
  readonly concurrency?: number;
  /** Results kept between editions (the same images recur in digests). @default 500 */
  readonly cacheSize?: number;
  /** @default globalThis.fetch */
  readonly fetchImpl?: typeof fetch;
}

/**
 * Measures images over HTTP with a range read of their first bytes (`Range: bytes=0-…`), parsed by
 * `image-size` as they stream in, within one time budget per edition, a few at a time, cached by URL
 * (misses too, so a dead image costs one read).
 */
export class HttpImageDimensions implements ImageDimensions {
  readonly #cache = new Map<string, ImageSize | null>();
  readonly #opts: Required<Omit<HttpImageDimensionsOptions, 'fetchImpl'>> & { fetchImpl: typeof fetch };

  constructor(opts: HttpImageDimensionsOptions = {}) {
    // Clamped where read: a zero or negative setting would turn measuring off by accident.
    this.#opts = {
      timeBudgetMs: Math.max(100, opts.timeBudgetMs ?? 3000),
      maxBytes: Math.max(1024, opts.maxBytes ?? 65_536),
      maxImages: Math.max(0, opts.maxImages ?? 40),
      concurrency: Math.max(1, opts.concurrency ?? 4),
      cacheSize: Math.max(0, opts.cacheSize ?? 500),
      fetchImpl: opts.fetchImpl ?? fetch,
    };
  }

  async measure(urls: readonly string[]): Promise<ReadonlyMap<string, ImageSize>> {
    const found = new Map<string, ImageSize>();
    const todo = [...new Set(urls)].filter((u) => /^https?:\/\//i.test(u)).slice(0, this.#opts.maxImages);
    const signal = AbortSignal.timeout(this.#opts.timeBudgetMs);
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !signal.aborted) {
        const url = todo[next++] as string;
        const size = this.#cache.has(url) ? this.#cache.get(url) : await this.#read(url, signal);
        if (size) found.set(url, size);
      }
    };
    await Promise.all(Array.from({ length: this.#opts.concurrency }, worker));
    return found;
  }

  async #read(url: string, signal: AbortSignal): Promise<ImageSize | null | undefined> {
    let size: ImageSize | null = null;
    try {
      const res = await this.#opts.fetchImpl(url, {
        headers: { range: `bytes=0-${this.#opts.maxBytes - 1}` },
        signal,
        redirect: 'follow',
      });
      if ((res.ok || res.status === 206) && res.body) size = await this.#parse(res.body);
      else await res.body?.cancel();
    } catch {
      // A timeout (the budget is spent) is not a fact about the image: do not cache it.
      if (signal.aborted) return undefined;
    }
    this.#remember(url, size);
    return size;
  }

  async #parse(body: ReadableStream<Uint8Array>): Promise<ImageSize | null> {
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    try {
      while (bytes < this.#opts.maxBytes) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        const size = tryParse(Buffer.concat(chunks));
        if (size) return size;
      }
      return tryParse(Buffer.concat(chunks));
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  #remember(url: string, size: ImageSize | null): void {
    if (this.#opts.cacheSize === 0) return;
    if (this.#cache.size >= this.#opts.cacheSize) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(url, size);
  }
}

function tryParse(buffer: Buffer): ImageSize | null {
  try {
    const { width, height, orientation } = imageSize(buffer);
    if (!width || !height) return null;
    // EXIF orientations 5–8 turn the picture a quarter: the reader sees it the other way round.
    return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
  } catch {
    return null;
  }
}
