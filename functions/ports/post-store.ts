import type { Post } from '../core/posts/post.ts';
import type { Page } from './subscriber-store.ts';

/** A post known to the system, with a version that grows when its content hash changes. */
export interface StoredPost {
  readonly post: Post;
  /** 1 for the first content seen, +1 for every edit (a new contentHash). */
  readonly version: number;
  /** The lists it targets, resolved against the config (post.lists or every list). */
  readonly listIds: readonly string[];
  /** ISO 8601. */
  readonly firstSeenAt: string;
  readonly updatedAt: string;
}

/** A post as a list's digest reads it. */
export interface ListedPost extends StoredPost {
  /**
   * ISO 8601: when tidings first stored the post for this list (set by the store, not the author). It
   * moves the digest cursor; an edit does not change it.
   */
  readonly recordedAt: string;
}

export interface PostStore {
  /**
   * Creates or updates. Same contentHash (and lists) as stored: nothing written, 'unchanged'.
   * A new contentHash: version + 1, 'edited'. Large bodies are fine (gzipped by the adapter).
   */
  put(
    post: Post,
    listIds: readonly string[],
    at: string,
  ): Promise<{ readonly outcome: 'created' | 'edited' | 'unchanged'; readonly stored: StoredPost }>;
  get(id: string): Promise<StoredPost | undefined>;
  /**
   * Posts of a list recorded at `since` or later (ISO 8601, inclusive; undefined: all), in the order
   * they were recorded, by keyset cursor. The author's `post.date` plays no part.
   */
  pageByListSince(
    listId: string,
    since: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListedPost>>;
}
