import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedState, FeedStateStore } from '../../ports/feed-state-store.ts';
import { type DynamoOptions, type Item, isConditionFailure, key, storeError } from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const stateKey = (feedId: string) => key(`FEED#${feedId}`, 'STATE');

/**
 * The poller's memory of each feed, one item per feed: `pk = FEED#<feed>`, `sk = STATE`, beside the
 * feed's seen items (`FEED#<feed> / ITEM#<guid>`, kept by the list cursor store).
 */
export class DynamoFeedStateStore implements FeedStateStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async get(feedId: string): Promise<FeedState | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: stateKey(feedId), ConsistentRead: true }),
      );
      return res.Item ? fromItem(res.Item) : undefined;
    } catch (e) {
      throw storeError(`get state of feed ${feedId}`, e);
    }
  }

  async put(state: FeedState): Promise<void> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: { ...stateKey(state.feedId), type: 'feed-state', ...state },
        }),
      );
    } catch (e) {
      throw storeError(`put state of feed ${state.feedId}`, e);
    }
  }

  async resume(feedId: string): Promise<FeedState | undefined> {
    try {
      const res = await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: stateKey(feedId),
          UpdateExpression: 'SET failures = :zero REMOVE pausedAt, lastError',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
          ExpressionAttributeValues: { ':zero': 0 },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return res.Attributes ? fromItem(res.Attributes) : undefined;
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw storeError(`resume feed ${feedId}`, e);
    }
  }
}

function fromItem(i: Item): FeedState {
  const text = (name: keyof FeedState) => (typeof i[name] === 'string' ? { [name]: i[name] as string } : {});
  return {
    feedId: i.feedId as string,
    failures: typeof i.failures === 'number' ? i.failures : 0,
    ...text('etag'),
    ...text('lastModified'),
    ...text('lastError'),
    ...text('lastPolledAt'),
    ...text('lastSuccessAt'),
    ...text('pausedAt'),
  };
}
