import { createHash } from 'node:crypto';
import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../ports/errors.ts';
import type { FeedbackStore, ListFeedbackCounts } from '../../ports/feedback-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

/**
 * Feedback counters in the single table:
 * - per list and UTC day: `pk = LIST#<id>`, `sk = HEALTH#<YYYY-MM-DD>`, attributes sent/bounced/complained
 *   (atomic ADD), removed by TTL after 40 days;
 * - per address: `pk = TBOUNCE#<sha256(email)>`, `sk = TBOUNCE`, a map feedbackId → time, so a
 *   redelivered SES event counts once; removed by TTL 30 days after the last bounce.
 */
export class DynamoFeedbackStore implements FeedbackStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { readonly doc: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#doc = options.doc;
    this.#table = options.tableName;
  }

  async addListCounts(listId: string, day: string, delta: Partial<ListFeedbackCounts>): Promise<void> {
    const entries = Object.entries(delta).filter(([, v]) => typeof v === 'number' && v !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = { '#ttl': 'ttl' };
    const values: Record<string, number> = {
      ':ttl': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 40 * 86_400,
    };
    const adds = entries.map(([k, v], i) => {
      names[`#c${i}`] = k;
      values[`:c${i}`] = v as number;
      return `#c${i} :c${i}`;
    });
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [TABLE_KEYS.pk]: `LIST#${listId}`, [TABLE_KEYS.sk]: `HEALTH#${day}` },
          UpdateExpression: `ADD ${adds.join(', ')} SET #ttl = :ttl`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (cause) {
      throw new StoreError(`feedback counters of list ${listId}: ${(cause as Error).message}`, { cause });
    }
  }

  async listCounts(listId: string, days: readonly string[]): Promise<ListFeedbackCounts> {
    const totals = { sent: 0, bounced: 0, complained: 0 };
    if (days.length === 0) return totals;
    try {
      const out = await this.#doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.#table]: {
              Keys: days.map((d) => ({ [TABLE_KEYS.pk]: `LIST#${listId}`, [TABLE_KEYS.sk]: `HEALTH#${d}` })),
            },
          },
        }),
      );
      for (const item of out.Responses?.[this.#table] ?? []) {
        totals.sent += Number(item.sent ?? 0);
        totals.bounced += Number(item.bounced ?? 0);
        totals.complained += Number(item.complained ?? 0);
      }
      return totals;
    } catch (cause) {
      throw new StoreError(`feedback counters of list ${listId}: ${(cause as Error).message}`, { cause });
    }
  }

  async addTransientBounce(
    email: string,
    feedbackId: string,
    at: string,
    keepUntil: number,
  ): Promise<string[]> {
    const hash = createHash('sha256').update(email).digest('base64url');
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [TABLE_KEYS.pk]: `TBOUNCE#${hash}`, [TABLE_KEYS.sk]: 'TBOUNCE' },
          // A map keyed by feedback id: the same event delivered twice writes the same entry.
          UpdateExpression: 'SET #b = if_not_exists(#b, :empty), #ttl = :ttl',
          ExpressionAttributeNames: { '#b': 'bounces', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':empty': {}, ':ttl': keepUntil },
        }),
      );
      const updated = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [TABLE_KEYS.pk]: `TBOUNCE#${hash}`, [TABLE_KEYS.sk]: 'TBOUNCE' },
          UpdateExpression: 'SET #b.#f = :at',
          ExpressionAttributeNames: { '#b': 'bounces', '#f': feedbackId },
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const bounces = (updated.Attributes?.bounces ?? {}) as Record<string, unknown>;
      return Object.values(bounces).filter((v): v is string => typeof v === 'string');
    } catch (cause) {
      throw new StoreError(`transient bounces of an address: ${(cause as Error).message}`, { cause });
    }
  }
}
