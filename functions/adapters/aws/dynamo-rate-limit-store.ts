import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../ports/errors.ts';
import type { RateLimitStore } from '../../ports/rate-limit-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

/**
 * Rate-limit counters in the single table: one item per (policy, hashed subject, window), `pk =
 * RATE#<key>`, `sk = RATE`, counted with an atomic `ADD` and removed by the table's TTL (`ttl`).
 */
export class DynamoRateLimitStore implements RateLimitStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { readonly doc: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#doc = options.doc;
    this.#table = options.tableName;
  }

  async hit(
    key: string,
    previousKey: string,
    expiresAt: number,
  ): Promise<{ current: number; previous: number }> {
    try {
      const [updated, previous] = await Promise.all([
        this.#doc.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { [TABLE_KEYS.pk]: `RATE#${key}`, [TABLE_KEYS.sk]: 'RATE' },
            UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
            ExpressionAttributeNames: { '#n': 'count', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
        this.#doc.send(
          new GetCommand({
            TableName: this.#table,
            Key: { [TABLE_KEYS.pk]: `RATE#${previousKey}`, [TABLE_KEYS.sk]: 'RATE' },
            ProjectionExpression: '#n',
            ExpressionAttributeNames: { '#n': 'count' },
          }),
        ),
      ]);
      return {
        current: Number(updated.Attributes?.count ?? 1),
        previous: Number(previous.Item?.count ?? 0),
      };
    } catch (cause) {
      throw new StoreError(`rate limit counter ${key}: ${(cause as Error).message}`, { cause });
    }
  }
}
