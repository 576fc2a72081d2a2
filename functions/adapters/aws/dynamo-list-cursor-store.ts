import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../../core/config/schema.ts';
import type { ListCursor, ListCursorStore, SeenFeedItem } from '../../ports/list-cursor-store.ts';
import {
  batchGet,
  batchWrite,
  type DynamoOptions,
  type Item,
  isConditionFailure,
  key,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const cursorKey = (listId: string, cadence: Cadence) => key(`LIST#${listId}`, `CURSOR#${cadence}`);
const seenKey = (feedId: string, guid: string) => key(`FEED#${feedId}`, `ITEM#${guid}`);

/**
 * Digest cursors (`LIST#<list> / CURSOR#<cadence>`, moved with a conditional put on the value read)
 * and the feed items the poller has seen (`FEED#<feed> / ITEM#<guid>`, with the content hash).
 */
export class DynamoListCursorStore implements ListCursorStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async get(listId: string, cadence: Cadence): Promise<ListCursor | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({
          TableName: this.#o.tableName,
          Key: cursorKey(listId, cadence),
          ConsistentRead: true,
        }),
      );
      return res.Item ? toCursor(res.Item) : undefined;
    } catch (e) {
      throw storeError(`get digest cursor of ${listId}/${cadence}`, e);
    }
  }

  async advance(cursor: ListCursor, expectedLastDigestAt: string | undefined): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: { ...cursorKey(cursor.listId, cursor.cadence), type: 'list-cursor', ...cursor },
          ...(expectedLastDigestAt === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
              }
            : {
                ConditionExpression: 'lastDigestAt = :expected',
                ExpressionAttributeValues: { ':expected': expectedLastDigestAt },
              }),
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`advance digest cursor of ${cursor.listId}/${cursor.cadence}`, e);
    }
  }

  async getSeen(feedId: string, guids: readonly string[]): Promise<ReadonlyMap<string, SeenFeedItem>> {
    const items = await batchGet(
      this.#o,
      guids.map((g) => seenKey(feedId, g)),
      { consistent: true },
    );
    return new Map(
      items.map((i) => [
        i.guid as string,
        { guid: i.guid as string, contentHash: i.contentHash as string, seenAt: i.seenAt as string },
      ]),
    );
  }

  async markSeen(feedId: string, items: readonly SeenFeedItem[]): Promise<void> {
    await batchWrite(this.#o, {
      puts: items.map((s) => ({ ...seenKey(feedId, s.guid), type: 'feed-item', feedId, ...s })),
    });
  }
}

function toCursor(i: Item): ListCursor {
  return {
    listId: i.listId as string,
    cadence: i.cadence as Cadence,
    lastDigestAt: i.lastDigestAt as string,
    postIds: (i.postIds ?? []) as string[],
    ...(typeof i.editionId === 'string' ? { editionId: i.editionId } : {}),
    updatedAt: i.updatedAt as string,
  };
}
