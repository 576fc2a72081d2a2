import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../ports/errors.ts';
import type { FeedbackStore, ListFeedbackCounts } from '../../ports/feedback-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

/**
 * How many items one list's counters of one day are spread over. A DynamoDB item takes about 1,000
 * writes/s; at 1,000 SES events/s (Send, then Delivery, for every message) one item would need about
 * 2,000. Each write goes to the next shard (round robin from a random start per process), so 16 shards
 * keep every item near 125 writes/s at that rate; a read sums the shards (16 small items a day, 7 days).
 */
export const FEEDBACK_COUNTER_SHARDS = 16;

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

/**
 * Feedback counters in the single table:
 * - per list and UTC day, sharded: `pk = LIST#<id>`, `sk = HEALTH#<YYYY-MM-DD>#<shard>` (shards 00–15),
 *   attributes sent/bounced/complained (atomic ADD), removed by TTL after 40 days. A read also counts
 *   the unsharded `HEALTH#<YYYY-MM-DD>` item that versions before the shards wrote;
 * - per address: `pk = TBOUNCE#<sha256(email)>`, `sk = TBOUNCE`, a map feedbackId → time, so a
 *   redelivered SES event counts once; removed by TTL 30 days after the last bounce.
 */
export class DynamoFeedbackStore implements FeedbackStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  #nextShard = Math.floor(Math.random() * FEEDBACK_COUNTER_SHARDS);

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
          Key: { [TABLE_KEYS.pk]: `LIST#${listId}`, [TABLE_KEYS.sk]: healthSk(day, this.#shard()) },
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
    const keys = days.flatMap((d) =>
      [undefined, ...Array.from({ length: FEEDBACK_COUNTER_SHARDS }, (_, i) => i)].map((shard) => ({
        [TABLE_KEYS.pk]: `LIST#${listId}`,
        [TABLE_KEYS.sk]: healthSk(d, shard),
      })),
    );
    try {
      for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
        let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_MAX);
        // Unprocessed keys (a throttled read) are asked again, a few times, before the read fails.
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt === 5) throw new Error(`${pending.length} counter items stayed unprocessed`);
          const out: BatchGetCommandOutput = await this.#doc.send(
            new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } }),
          );
          for (const item of out.Responses?.[this.#table] ?? []) {
            totals.sent += Number(item.sent ?? 0);
            totals.bounced += Number(item.bounced ?? 0);
            totals.complained += Number(item.complained ?? 0);
          }
          pending = out.UnprocessedKeys?.[this.#table]?.Keys;
        }
      }
      return totals;
    } catch (cause) {
      throw new StoreError(`feedback counters of list ${listId}: ${(cause as Error).message}`, { cause });
    }
  }

  #shard(): number {
    const shard = this.#nextShard;
    this.#nextShard = (shard + 1) % FEEDBACK_COUNTER_SHARDS;
    return shard;
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

/** A day's counter item: shard `nn`, or the unsharded item of earlier versions (`shard` undefined). */
function healthSk(day: string, shard: number | undefined): string {
  return shard === undefined ? `HEALTH#${day}` : `HEALTH#${day}#${String(shard).padStart(2, '0')}`;
}
