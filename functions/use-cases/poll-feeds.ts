import type { Config } from '../core/config/schema.ts';
import { NotFoundError, TidingsError } from '../core/errors.ts';
import { parseFeed } from '../core/posts/feed.ts';
import type { Post } from '../core/posts/post.ts';
import { oneLine } from '../core/posts/text.ts';
import type { Clock } from '../ports/clock.ts';
import type { FeedState, FeedStateStore } from '../ports/feed-state-store.ts';
import type { ListCursorStore } from '../ports/list-cursor-store.ts';
import { withPodcastFiles } from './podcast-files.ts';
import type { PublishResult } from './publish-post.ts';

/** Polls in a row that may fail before the feed is paused. */
export const DEFAULT_MAX_FAILURES = 3;

/** A document read from a feed URL; `text` is undefined when the server answered 304 Not Modified. */
export interface FetchedFeed {
  readonly text: string | undefined;
  readonly etag?: string;
  readonly lastModified?: string;
}

export interface PollFeedDeps {
  readonly config: Config;
  readonly feedStates: FeedStateStore;
  /** Which items of a feed were already seen, with their content hash. */
  readonly seen: Pick<ListCursorStore, 'getSeen' | 'markSeen'>;
  /**
   * GETs the feed (conditional when validators are given). Throws a TidingsError for anything the feed's
   * side got wrong: HTTP error, timeout, too large.
   */
  readonly fetchFeed: (
    url: string,
    validators: { readonly etag?: string; readonly lastModified?: string },
  ) => Promise<FetchedFeed>;
  /** Publishes one post (publish-post): stores it for digests and sends it to `instant` subscribers. */
  readonly publish: (post: Post) => Promise<PublishResult>;
  readonly clock: Clock;
  /** @default 3 */
  readonly maxFailures?: number;
}

/** One item the poll acted on. */
export interface PolledItem {
  readonly postId: string;
  readonly title: string;
  /** `new`: first seen, published; `edited`: seen with another content hash, stored as a new version. */
  readonly change: 'new' | 'edited';
  readonly lists: PublishResult['lists'];
}

export type PollResult =
  /** The feed is paused: nothing was fetched. */
  | {
      readonly feedId: string;
      readonly action: 'paused';
      readonly pausedAt: string;
      readonly lastError?: string;
    }
  /** 304 Not Modified. */
  | { readonly feedId: string; readonly action: 'not-modified' }
  /** The first successful poll: what the feed holds is recorded as seen, and nothing is sent. */
  | { readonly feedId: string; readonly action: 'baseline'; readonly items: number }
  | {
      readonly feedId: string;
      readonly action: 'polled';
      readonly items: number;
      readonly changed: readonly PolledItem[];
    }
  /** Fetching or parsing failed; nothing was published. `paused` is true when this failure paused the feed. */
  | {
      readonly feedId: string;
      readonly action: 'failed';
      readonly error: string;
      readonly failures: number;
      readonly paused: boolean;
    };

/**
 * Polls one configured feed:
 * 1. a paused feed is not fetched at all;
 * 2. a conditional GET (ETag / Last-Modified) — 304 ends the poll;
 * 3. the whole document is parsed before anything is published, so a truncated or broken feed never sends a
 *    partial post; a failure counts, and `maxFailures` in a row pause the feed (the handler raises the alarm);
 * 4. the first successful poll records the items already in the feed without sending them (no flood of old
 *    posts to a new list);
 * 5. then each new item, oldest first, is published to the feed's lists (`instant` subscribers get it now, and
 *    every item is stored for the digests); an item whose content hash changed is stored as a new version
 *    without being re-sent. Each item is marked seen right after it is published; publishing is idempotent,
 *    so a crash in between only repeats a no-op.
 */
export async function pollFeed(deps: PollFeedDeps, feedId: string): Promise<PollResult> {
  const feed = deps.config.feeds.find((f) => f.id === feedId);
  if (!feed) {
    const known = deps.config.feeds.map((f) => f.id).join(', ') || 'none';
    throw new NotFoundError('FEED_NOT_FOUND', `no feed "${feedId}" in the config (configured: ${known})`);
  }
  const now = deps.clock.now().toISOString();
  const state: FeedState = (await deps.feedStates.get(feedId)) ?? { feedId, failures: 0 };
  if (state.pausedAt) {
    return {
      feedId,
      action: 'paused',
      pausedAt: state.pausedAt,
      ...(state.lastError ? { lastError: state.lastError } : {}),
    };
  }

  // Any error, expected or not, counts against the feed: otherwise a feed that crashes the parser (or
  // the publisher) on one item would fail every poll without ever pausing, and no alarm would fire.
  const fail = async (error: unknown): Promise<PollResult> => {
    const failures = state.failures + 1;
    const paused = failures >= (deps.maxFailures ?? DEFAULT_MAX_FAILURES);
    const message = failureMessage(error);
    await deps.feedStates.put({
      ...state,
      failures,
      lastError: message,
      lastPolledAt: now,
      ...(paused ? { pausedAt: now } : {}),
    });
    return { feedId, action: 'failed', error: message, failures, paused };
  };

  let fetched: FetchedFeed;
  let posts: Post[];
  try {
    // Before the baseline there is nothing to compare against, so always read the whole document.
    const validators = state.lastSuccessAt
      ? {
          ...(state.etag ? { etag: state.etag } : {}),
          ...(state.lastModified ? { lastModified: state.lastModified } : {}),
        }
      : {};
    fetched = await deps.fetchFeed(feed.url, validators);
    posts =
      fetched.text === undefined
        ? []
        : parseFeed(fetched.text, { source: feed.url, siteUrl: deps.config.site.url });
  } catch (error) {
    return fail(error);
  }

  const success: FeedState = {
    feedId,
    failures: 0,
    lastPolledAt: now,
    lastSuccessAt: now,
    ...(fetched.etag ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
  };
  if (fetched.text === undefined) {
    // A 304 may omit the validators; the ones that earned it stay valid.
    await deps.feedStates.put({
      ...(state.etag ? { etag: state.etag } : {}),
      ...(state.lastModified ? { lastModified: state.lastModified } : {}),
      ...success,
    });
    return { feedId, action: 'not-modified' };
  }

  const targeted = posts.map((p): Post => (feed.lists ? { ...p, lists: feed.lists } : p));
  const seen = await deps.seen.getSeen(
    feedId,
    targeted.map((p) => p.id),
  );
  const mark = (p: Post) => ({ guid: p.id, contentHash: p.contentHash, seenAt: now });

  if (!state.lastSuccessAt) {
    await deps.seen.markSeen(
      feedId,
      targeted.filter((p) => seen.get(p.id)?.contentHash !== p.contentHash).map(mark),
    );
    await deps.feedStates.put(success);
    return { feedId, action: 'baseline', items: targeted.length };
  }

  const changed: PolledItem[] = [];
  const oldestFirst = [...targeted].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  for (const post of oldestFirst) {
    const before = seen.get(post.id);
    if (before?.contentHash === post.contentHash) continue;
    // Chapters and transcript files never fail the item: one that cannot be read is a warning.
    const withFiles = await withPodcastFiles(post, async (url) => (await deps.fetchFeed(url, {})).text);
    let result: PublishResult;
    try {
      result = await deps.publish(withFiles);
    } catch (error) {
      // The items before it are published and marked seen; this one is tried again on the next poll,
      // and a feed whose item keeps failing pauses like one that cannot be fetched.
      return fail(error);
    }
    await deps.seen.markSeen(feedId, [mark(post)]);
    changed.push({
      postId: post.id,
      title: post.title,
      change: before ? 'edited' : 'new',
      lists: result.lists,
    });
  }
  await deps.feedStates.put(success);
  return { feedId, action: 'polled', items: targeted.length, changed };
}

/** Lifts a feed's pause (an operator fixed the feed); the next scheduled poll fetches it again. */
export async function resumeFeed(
  deps: Pick<PollFeedDeps, 'config' | 'feedStates'>,
  feedId: string,
): Promise<{ readonly feedId: string; readonly wasPaused: boolean }> {
  if (!deps.config.feeds.some((f) => f.id === feedId)) {
    throw new NotFoundError('FEED_NOT_FOUND', `no feed "${feedId}" in the config`);
  }
  const before = await deps.feedStates.resume(feedId);
  return { feedId, wasPaused: Boolean(before?.pausedAt) };
}

/** A failure as one line for the feed's state: a TidingsError's own message, anything else named. */
function failureMessage(error: unknown): string {
  if (error instanceof TidingsError) return oneLine(error.message);
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return oneLine(`unexpected error: ${detail}`).slice(0, 500);
}
