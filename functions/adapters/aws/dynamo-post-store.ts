import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Post } from '../../core/posts/post.ts';
import type { ListedPost, PostStore, StoredPost } from '../../ports/post-store.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import {
  batchWrite,
  type DynamoOptions,
  type Item,
  isConditionFailure,
  key,
  queryPage,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const postKey = (id: string) => key(`POST#${id}`, 'POST');
const postListKey = (id: string, listId: string) => key(`POST#${id}`, `LIST#${listId}`);
const MAX_ATTEMPTS = 5;

/**
 * Posts in the single table: `POST#<id> / POST` holds the post (gzipped JSON: bodies can be large),
 * its version and content hash, with a revision for optimistic concurrency; one `POST#<id> / LIST#<list>`
 * item per target list carries `gsi1pk = POSTS#<list>`, `gsi1sk = <recordedAt>#<id>`, so a digest reads
 * "every post of this list recorded since the cursor" with one query. `recordedAt` is when tidings first
 * stored the post for that list (never the author's date, never moved by an edit), so a post dated in the
 * past, dated like another, or with no date at all still reaches the next digest.
 */
export class DynamoPostStore implements PostStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async put(
    post: Post,
    listIds: readonly string[],
    at: string,
  ): Promise<{ outcome: 'created' | 'edited' | 'unchanged'; stored: StoredPost }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.#getItem(post.id);
      const before = current ? toStored(current) : undefined;
      const sameLists = before && [...before.listIds].sort().join() === [...listIds].sort().join();
      if (before && before.post.contentHash === post.contentHash && sameLists) {
        // A crash between the post and its list items left them missing: write them now.
        await this.#syncListItems(post, listIds, before.firstSeenAt, at);
        return { outcome: 'unchanged', stored: before };
      }
      const edited = before !== undefined && before.post.contentHash !== post.contentHash;
      const stored: StoredPost = {
        post,
        version: before ? before.version + (edited ? 1 : 0) : 1,
        listIds: [...listIds],
        firstSeenAt: before?.firstSeenAt ?? at,
        updatedAt: at,
      };
      const rev = Number(current?.rev ?? 0);
      try {
        await this.#o.doc.send(
          new PutCommand({
            TableName: this.#o.tableName,
            Item: {
              ...postKey(post.id),
              type: 'post',
              id: post.id,
              version: stored.version,
              contentHash: post.contentHash,
              listIds: stored.listIds,
              firstSeenAt: stored.firstSeenAt,
              updatedAt: at,
              rev: rev + 1,
              body: gzipSync(Buffer.from(JSON.stringify(post), 'utf8')),
            },
            ...(current
              ? {
                  ConditionExpression: 'rev = :rev',
                  ExpressionAttributeValues: { ':rev': rev },
                }
              : {
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
                }),
          }),
        );
      } catch (e) {
        if (isConditionFailure(e)) continue;
        throw storeError(`put post ${post.id}`, e);
      }
      await this.#syncListItems(post, listIds, stored.firstSeenAt, at);
      return { outcome: before ? (edited ? 'edited' : 'unchanged') : 'created', stored };
    }
    throw storeError(`put post ${post.id}`, new Error(`gave up after ${MAX_ATTEMPTS} concurrent updates`));
  }

  /**
   * One `LIST#<list>` item per target list, the others deleted. An item already there keeps its
   * recordedAt (an edit or a re-publish does not make a post new to the digests); a new one is recorded
   * `at`; an item written before recordedAt existed takes the post's firstSeenAt.
   */
  async #syncListItems(
    post: Post,
    listIds: readonly string[],
    firstSeenAt: string,
    at: string,
  ): Promise<void> {
    let existing: Item[];
    try {
      const res = await this.#o.doc.send(
        new QueryCommand({
          TableName: this.#o.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :list)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#sk': TABLE_KEYS.sk },
          ExpressionAttributeValues: { ':pk': `POST#${post.id}`, ':list': 'LIST#' },
          ConsistentRead: true,
        }),
      );
      existing = res.Items ?? [];
    } catch (e) {
      throw storeError(`read lists of post ${post.id}`, e);
    }
    const byList = new Map(existing.map((i) => [i.listId as string, i]));
    const puts: Item[] = [];
    for (const l of listIds) {
      const item = byList.get(l);
      if (item?.recordedAt) continue;
      const recordedAt = item ? firstSeenAt : at;
      puts.push({
        ...postListKey(post.id, l),
        type: 'post-list',
        postId: post.id,
        listId: l,
        date: post.date,
        recordedAt,
        [TABLE_KEYS.gsi1.pk]: `POSTS#${l}`,
        [TABLE_KEYS.gsi1.sk]: `${recordedAt}#${post.id}`,
      });
    }
    const deletes = [...byList.keys()]
      .filter((l) => !listIds.includes(l))
      .map((l) => postListKey(post.id, l));
    if (puts.length > 0 || deletes.length > 0) await batchWrite(this.#o, { puts, deletes });
  }

  async get(id: string): Promise<StoredPost | undefined> {
    const item = await this.#getItem(id);
    return item ? toStored(item) : undefined;
  }

  async pageByListSince(
    listId: string,
    since: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListedPost>> {
    const page = await queryPage(
      this.#o,
      `posts of ${listId}`,
      {
        IndexName: TABLE_KEYS.gsi1.name,
        // Keys are "<recordedAt>#<id>": every key >= "<since>" is a post recorded at `since` or later.
        KeyConditionExpression: since ? '#pk = :pk AND #sk >= :since' : '#pk = :pk',
        ExpressionAttributeNames: {
          '#pk': TABLE_KEYS.gsi1.pk,
          ...(since ? { '#sk': TABLE_KEYS.gsi1.sk } : {}),
        },
        ExpressionAttributeValues: {
          ':pk': `POSTS#${listId}`,
          ...(since ? { ':since': since } : {}),
        },
      },
      cursor,
      limit,
    );
    const listed = await Promise.all(
      page.items.map(async (i) => {
        const stored = await this.get(i.postId as string);
        if (!stored) return undefined;
        const sk = String(i[TABLE_KEYS.gsi1.sk]);
        const recordedAt = (i.recordedAt as string | undefined) ?? sk.slice(0, sk.lastIndexOf('#'));
        return { ...stored, recordedAt };
      }),
    );
    return { ...page, items: listed.filter((p): p is ListedPost => p !== undefined) };
  }

  async #getItem(id: string): Promise<Item | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: postKey(id), ConsistentRead: true }),
      );
      return res.Item;
    } catch (e) {
      throw storeError(`get post ${id}`, e);
    }
  }
}

function toStored(i: Item): StoredPost {
  return {
    post: JSON.parse(gunzipSync(Buffer.from(i.body as Uint8Array)).toString('utf8')) as Post,
    version: Number(i.version),
    listIds: (i.listIds ?? []) as string[],
    firstSeenAt: i.firstSeenAt as string,
    updatedAt: i.updatedAt as string,
  };
}
