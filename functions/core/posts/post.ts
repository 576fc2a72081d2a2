import type { PodcastDetails } from './podcast.ts';
import type { Warning } from './warnings.ts';

// Warning lives beside its codes in warnings.ts; re-exported here, where code has always imported it from.
export type { Warning } from './warnings.ts';

/** One media item of a post: a podcast enclosure, a video, or an embed that became a card. */
export interface Media {
  readonly kind: 'audio' | 'video';
  /** Where a reader goes to play it (the episode file, the YouTube page, …). Absolute. */
  readonly url: string;
  readonly title?: string;
  /** Seconds. */
  readonly duration?: number;
  /** A poster or thumbnail image, absolute. */
  readonly image?: string;
  /** MIME type where known (audio/mpeg, video/mp4). */
  readonly type?: string;
  /** Where it came from: an enclosure, the front matter, or a recognized embed provider. */
  readonly provider?:
    | 'enclosure'
    | 'front-matter'
    | 'youtube'
    | 'vimeo'
    | 'spotify'
    | 'apple-podcasts'
    | 'soundcloud'
    | 'substack-video'
    | 'media-rss';
}

/** How a post goes out. */
export type SendMode = 'instant' | 'digest' | 'never';

/**
 * One article or episode, normalized from Markdown or a feed item. Everything in it is safe:
 * `bodyHtml` is sanitized and has absolute URLs only.
 */
export interface Post {
  /** Stable identity: the feed guid (link as fallback), or the Markdown slug. */
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly authors: readonly string[];
  /** ISO 8601. */
  readonly date: string;
  /** Canonical URL, absolute. */
  readonly url: string;
  readonly cover?: { readonly url: string; readonly alt: string };
  /** Sanitized, email-ready HTML: no scripts, iframes, forms, event handlers; absolute URLs. */
  readonly bodyHtml: string;
  /** Plain text, one paragraph at most. */
  readonly excerpt: string;
  readonly tags: readonly string[];
  readonly media: readonly Media[];
  /** List ids the post targets; undefined means every list. */
  readonly lists?: readonly string[];
  readonly send: SendMode;
  readonly draft: boolean;
  /** An episode's season and number, its people, chapters and transcripts, from a podcast feed. */
  readonly podcast?: PodcastDetails;
  /** When the author wants it sent (front matter `sendAt`, as written): publishing schedules it then. */
  readonly sendAt?: string;
  /** `false` keeps the post out of the web archive (front matter `archive: false`); drafts never appear. */
  readonly archive?: boolean;
  /**
   * True when the author gave no URL and `url` was made from the site's URL and the slug: the web archive's
   * page is then the post's canonical page.
   */
  readonly urlFromSlug?: boolean;
  /** A hash of the content that matters to readers; a change means the post was edited. */
  readonly contentHash: string;
  /** What normalization removed or changed, for the author (stable codes). */
  readonly warnings: readonly Warning[];
}
