import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../ports/errors.ts';
import type { SendQuota } from '../../ports/mail-transport.ts';
import type { CachedSendQuota, SendQuotaStore } from '../../ports/send-quota-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const KEY = { [TABLE_KEYS.pk]: 'ACCOUNT', [TABLE_KEYS.sk]: 'SEND_QUOTA' };

/**
 * The shared SES quota in the single table: one item, `pk = ACCOUNT`, `sk = SEND_QUOTA`. The refresh is
 * claimed with a conditional update on `claimedAt`, so concurrent senders agree on one caller.
 */
export class DynamoSendQuotaStore implements SendQuotaStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { readonly doc: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#doc = options.doc;
    this.#table = options.tableName;
  }

  async get(): Promise<CachedSendQuota | undefined> {
    try {
      const out = await this.#doc.send(new GetCommand({ TableName: this.#table, Key: KEY }));
      const item = out.Item;
      if (!item) return undefined;
      const quota =
        typeof item.maxSendRate === 'number' &&
        typeof item.max24HourSend === 'number' &&
        typeof item.sentLast24Hours === 'number'
          ? {
              maxSendRate: item.maxSendRate,
              max24HourSend: item.max24HourSend,
              sentLast24Hours: item.sentLast24Hours,
            }
          : undefined;
      return {
        ...(quota ? { quota } : {}),
        ...(typeof item.fetchedAt === 'string' ? { fetchedAt: item.fetchedAt } : {}),
        ...(typeof item.claimedAt === 'string' ? { claimedAt: item.claimedAt } : {}),
      };
    } catch (cause) {
      throw new StoreError(`the cached SES quota: ${(cause as Error).message}`, { cause });
    }
  }

  async claimRefresh(now: string, notBefore: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: KEY,
          UpdateExpression: 'SET #claimed = :now, #type = :type',
          ConditionExpression: 'attribute_not_exists(#claimed) OR #claimed < :notBefore',
          ExpressionAttributeNames: { '#claimed': 'claimedAt', '#type': 'type' },
          ExpressionAttributeValues: { ':now': now, ':notBefore': notBefore, ':type': 'send-quota' },
        }),
      );
      return true;
    } catch (cause) {
      if ((cause as Error).name === 'ConditionalCheckFailedException') return false;
      throw new StoreError(`claiming the SES quota refresh: ${(cause as Error).message}`, { cause });
    }
  }

  async save(quota: SendQuota, at: string): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: KEY,
          UpdateExpression: 'SET maxSendRate = :r, max24HourSend = :d, sentLast24Hours = :s, fetchedAt = :at',
          ExpressionAttributeValues: {
            ':r': quota.maxSendRate,
            ':d': quota.max24HourSend,
            ':s': quota.sentLast24Hours,
            ':at': at,
          },
        }),
      );
    } catch (cause) {
      throw new StoreError(`saving the SES quota: ${(cause as Error).message}`, { cause });
    }
  }
}
