import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Post } from '../../core/posts/post.ts';
import type { PostStore, StoredPost } from '../../ports/post-store.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import {
  batchWrite,
  type DynamoOptions,
  decodeCursor,
  encodeCursor,
  type Item,
  isConditionFailure,
  key,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const postKey = (id: string) => key(`POST#${id}`, 'POST');
const postListKey = (id: string, listId: string) => key(`POST#${id}`, `LIST#${listId}`);
const MAX_ATTEMPTS = 5;

/**
 * Posts in the single table: `POST#<id> / POST` holds the post (gzipped JSON: bodies can be large),
 * its version and content hash, with a revision for optimistic concurrency; one `POST#<id> / LIST#<list>`
 * item per target list carries `gsi1pk = POSTS#<list>`, `gsi1sk = <post date>#<id>`, so a digest reads
 * "every post of this list since the cursor" with one query.
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
      const dropped = (before?.listIds ?? []).filter((l) => !listIds.includes(l));
      await batchWrite(this.#o, {
        puts: listIds.map((l) => ({
          ...postListKey(post.id, l),
          type: 'post-list',
          postId: post.id,
          listId: l,
          date: post.date,
          [TABLE_KEYS.gsi1.pk]: `POSTS#${l}`,
          [TABLE_KEYS.gsi1.sk]: `${post.date}#${post.id}`,
        })),
        deletes: dropped.map((l) => postListKey(post.id, l)),
      });
      return { outcome: before ? (edited ? 'edited' : 'unchanged') : 'created', stored };
    }
    throw storeError(`put post ${post.id}`, new Error(`gave up after ${MAX_ATTEMPTS} concurrent updates`));
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
  ): Promise<Page<StoredPost>> {
    const start = cursor ? decodeCursor<Item>(cursor, `posts of ${listId}`) : undefined;
    try {
      const res = await this.#o.doc.send(
        new QueryCommand({
          TableName: this.#o.tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          // Keys are "<date>#<id>": "<since>#\uffff" sorts after every post dated exactly `since`, so they are excluded.
          KeyConditionExpression: since ? '#pk = :pk AND #sk > :since' : '#pk = :pk',
          ExpressionAttributeNames: {
            '#pk': TABLE_KEYS.gsi1.pk,
            ...(since ? { '#sk': TABLE_KEYS.gsi1.sk } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': `POSTS#${listId}`,
            ...(since ? { ':since': `${since}#\uffff` } : {}),
          },
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const ids = (res.Items ?? []).map((i) => i.postId as string);
      const posts = await Promise.all(ids.map((id) => this.get(id)));
      const items = posts.filter((p): p is StoredPost => p !== undefined);
      return res.LastEvaluatedKey ? { items, cursor: encodeCursor(res.LastEvaluatedKey) } : { items };
    } catch (e) {
      throw storeError(`page posts of ${listId}`, e);
    }
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
