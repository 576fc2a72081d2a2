import type { Cadence } from '../core/config/schema.ts';

/** Where a list's digest of one cadence stands. */
export interface ListCursor {
  readonly listId: string;
  readonly cadence: Cadence;
  /**
   * ISO 8601: the newest `recordedAt` (when tidings stored the post for the list, not the author's date)
   * among the posts the digests carried. The next digest reads from DIGEST_LOOKBACK_MS before it.
   */
  readonly lastDigestAt: string;
  /** Post ids carried that were recorded within DIGEST_LOOKBACK_MS before lastDigestAt (never sent twice). */
  readonly postIds: readonly string[];
  /** The edition that advanced it. */
  readonly editionId?: string;
  readonly updatedAt: string;
}

/** A feed item already seen by the poller. */
export interface SeenFeedItem {
  readonly guid: string;
  readonly contentHash: string;
  /** ISO 8601. */
  readonly seenAt: string;
}

export interface ListCursorStore {
  get(listId: string, cadence: Cadence): Promise<ListCursor | undefined>;
  /**
   * Moves the cursor. Conditional on the caller's view: `expectedLastDigestAt` is the value it read
   * (undefined when there was no cursor). Returns false when someone else moved it first.
   */
  advance(cursor: ListCursor, expectedLastDigestAt: string | undefined): Promise<boolean>;
  /** Seen items of one feed, for the given guids; unseen guids are absent from the map. */
  getSeen(feedId: string, guids: readonly string[]): Promise<ReadonlyMap<string, SeenFeedItem>>;
  /** Records (or updates the hash of) seen items. */
  markSeen(feedId: string, items: readonly SeenFeedItem[]): Promise<void>;
}
