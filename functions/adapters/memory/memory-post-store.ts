import type { Post } from '../../core/posts/post.ts';
import type { ListedPost, PostStore, StoredPost } from '../../ports/post-store.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import { byKey, copy, type Keyed, pageOf } from './memory-common.ts';

interface Stored {
  readonly stored: StoredPost;
  /** listId → when the post was first stored for that list. */
  readonly recordedAt: Map<string, string>;
}

/**
 * Posts in memory, with DynamoPostStore's rules: the same content hash and lists write nothing, a
 * new hash is a new version; each target list remembers when the post was first recorded for it (an
 * edit does not move it), and a list's posts page in the order they were recorded.
 */
export class MemoryPostStore implements PostStore {
  readonly #posts = new Map<string, Stored>();

  async put(
    post: Post,
    listIds: readonly string[],
    at: string,
  ): Promise<{ outcome: 'created' | 'edited' | 'unchanged'; stored: StoredPost }> {
    const current = this.#posts.get(post.id);
    const before = current?.stored;
    const sameLists = before && [...before.listIds].sort().join() === [...listIds].sort().join();
    if (before && before.post.contentHash === post.contentHash && sameLists) {
      return { outcome: 'unchanged', stored: copy(before) };
    }
    const edited = before !== undefined && before.post.contentHash !== post.contentHash;
    const stored: StoredPost = {
      // A JSON round trip, as the DynamoDB adapter stores the post as (gzipped) JSON.
      post: JSON.parse(JSON.stringify(post)) as Post,
      version: before ? before.version + (edited ? 1 : 0) : 1,
      listIds: [...listIds],
      firstSeenAt: before?.firstSeenAt ?? at,
      updatedAt: at,
    };
    const recordedAt = current?.recordedAt ?? new Map<string, string>();
    for (const l of listIds) if (!recordedAt.has(l)) recordedAt.set(l, at);
    for (const l of [...recordedAt.keys()]) if (!listIds.includes(l)) recordedAt.delete(l);
    this.#posts.set(post.id, { stored, recordedAt });
    return { outcome: before ? (edited ? 'edited' : 'unchanged') : 'created', stored: copy(stored) };
  }

  async get(id: string): Promise<StoredPost | undefined> {
    const p = this.#posts.get(id);
    return p ? copy(p.stored) : undefined;
  }

  async pageByListSince(
    listId: string,
    since: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListedPost>> {
    const entries: Keyed<ListedPost>[] = [];
    for (const { stored, recordedAt } of this.#posts.values()) {
      const at = recordedAt.get(listId);
      if (at === undefined) continue;
      // The DynamoDB index key "<recordedAt>#<id>", compared with `since` the same way.
      const key = `${at}#${stored.post.id}`;
      if (since === undefined || key >= since) entries.push({ key, value: { ...stored, recordedAt: at } });
    }
    return pageOf(byKey(entries), cursor, limit, `posts of ${listId}`);
  }
}
