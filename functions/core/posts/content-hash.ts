import { createHash } from 'node:crypto';
import type { Media } from './post.ts';

/**
 * A sha256 of what a reader sees of a post: title, subtitle, body (whitespace-normalized), cover and media.
 * The same post fetched twice gives the same hash; an edit to any of these gives a new one, which is how a
 * feed poller tells an edited item from an unchanged one.
 */
export function contentHash(parts: {
  readonly title: string;
  readonly subtitle?: string;
  readonly bodyHtml: string;
  readonly cover?: { readonly url: string };
  readonly media: readonly Media[];
}): string {
  const normalized = JSON.stringify([
    parts.title,
    parts.subtitle ?? '',
    parts.bodyHtml.replace(/\s+/g, ' ').trim(),
    parts.cover?.url ?? '',
    parts.media.map((m) => [m.kind, m.url, m.title ?? '', m.duration ?? '']),
  ]);
  return `sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}
