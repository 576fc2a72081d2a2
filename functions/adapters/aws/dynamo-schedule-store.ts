import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Post } from '../../core/posts/post.ts';
import type { ScheduledSend, WaveBatch, WaveRef } from '../../core/schedule/model.ts';
import type { ScheduleStore } from '../../ports/schedule-store.ts';
import {
  batchGet,
  batchWrite,
  type DynamoOptions,
  type Item,
  isConditionFailure,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const key = (id: string) => ({ [TABLE_KEYS.pk]: `SCHEDULE#${id}`, [TABLE_KEYS.sk]: 'SCHEDULE' });
const INDEX_PK = 'SCHEDULED';
// A wave's held readers: one item per batch, read back by key (BatchGetItem), so firing needs no query.
const heldKey = (waveId: string, batchNo: number) => ({
  [TABLE_KEYS.pk]: `WAVE#${waveId}`,
  [TABLE_KEYS.sk]: `BATCH#${String(batchNo).padStart(6, '0')}`,
});

/**
 * Scheduled sends in the single table: `SCHEDULE#<id> / SCHEDULE` holds the post (gzipped JSON) and its
 * time, with `gsi1pk = SCHEDULED`, `gsi1sk = <at>#<id>` so that every waiting send is one query, soonest
 * first. The state moves waiting → firing with a conditional write; cancel deletes only a waiting one.
 * A wave's readers wait in `WAVE#<wave id> / BATCH#nnnnnn` items, one per batch of ≤ 50.
 */
export class DynamoScheduleStore implements ScheduleStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async put(send: Omit<ScheduledSend, 'state'>): Promise<'created' | 'replaced' | 'started'> {
    try {
      const out = await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: toItem({ ...send, state: 'waiting' }),
          ConditionExpression: 'attribute_not_exists(#pk) OR #state = :waiting',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#state': 'state' },
          ExpressionAttributeValues: { ':waiting': 'waiting' },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? 'replaced' : 'created';
    } catch (cause) {
      if (isConditionFailure(cause)) return 'started';
      throw storeError(`scheduling ${send.id}`, cause);
    }
  }

  async get(id: string): Promise<ScheduledSend | undefined> {
    try {
      const out = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: key(id), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    } catch (cause) {
      throw storeError(`scheduled send ${id}`, cause);
    }
  }

  async list(): Promise<ScheduledSend[]> {
    const sends: ScheduledSend[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.#o.doc.send(
          new QueryCommand({
            TableName: this.#o.tableName,
            IndexName: TABLE_KEYS.gsi1.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.pk },
            ExpressionAttributeValues: { ':pk': INDEX_PK },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        sends.push(...(out.Items ?? []).map(fromItem));
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (cause) {
      throw storeError('listing scheduled sends', cause);
    }
    return sends;
  }

  async start(id: string): Promise<ScheduledSend | undefined> {
    try {
      const out = await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: key(id),
          UpdateExpression: 'SET #state = :firing',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#state': 'state' },
          ExpressionAttributeValues: { ':firing': 'firing' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (cause) {
      if (isConditionFailure(cause)) return undefined;
      throw storeError(`starting scheduled send ${id}`, cause);
    }
  }

  async cancel(id: string): Promise<'cancelled' | 'started' | 'not-found'> {
    try {
      await this.#o.doc.send(
        new DeleteCommand({
          TableName: this.#o.tableName,
          Key: key(id),
          ConditionExpression: 'attribute_exists(#pk) AND #state = :waiting',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#state': 'state' },
          ExpressionAttributeValues: { ':waiting': 'waiting' },
        }),
      );
      return 'cancelled';
    } catch (cause) {
      if (!isConditionFailure(cause)) throw storeError(`cancelling scheduled send ${id}`, cause);
      return (await this.get(id)) ? 'started' : 'not-found';
    }
  }

  async done(id: string): Promise<void> {
    try {
      await this.#o.doc.send(new DeleteCommand({ TableName: this.#o.tableName, Key: key(id) }));
    } catch (cause) {
      throw storeError(`finishing scheduled send ${id}`, cause);
    }
  }

  async holdBatches(waveId: string, batches: readonly WaveBatch[]): Promise<void> {
    try {
      await batchWrite(this.#o, {
        puts: batches.map((b) => ({
          ...heldKey(waveId, b.batchNo),
          type: 'wave-batch',
          batchNo: b.batchNo,
          recipients: b.recipients.map((r) => ({ subscriberId: r.subscriberId, email: r.email })),
        })),
      });
    } catch (cause) {
      throw storeError(`holding the readers of wave ${waveId}`, cause);
    }
  }

  async heldBatches(waveId: string, batchNos: readonly number[]): Promise<WaveBatch[]> {
    let items: Item[];
    try {
      items = await batchGet(
        this.#o,
        batchNos.map((n) => heldKey(waveId, n)),
        { consistent: true },
      );
    } catch (cause) {
      throw storeError(`reading the readers of wave ${waveId}`, cause);
    }
    return items
      .map((i) => ({
        batchNo: Number(i.batchNo),
        recipients: (i.recipients ?? []) as WaveBatch['recipients'],
      }))
      .sort((a, b) => a.batchNo - b.batchNo);
  }
}

function toItem(send: ScheduledSend): Record<string, unknown> {
  return {
    ...key(send.id),
    type: 'scheduled-send',
    id: send.id,
    at: send.at,
    scheduledAt: send.scheduledAt,
    state: send.state,
    ...(send.list ? { list: send.list } : {}),
    ...(send.resend ? { resend: true } : {}),
    ...(send.wave ? { wave: send.wave } : {}),
    post: gzipSync(Buffer.from(JSON.stringify(send.post), 'utf8')),
    [TABLE_KEYS.gsi1.pk]: INDEX_PK,
    [TABLE_KEYS.gsi1.sk]: `${send.at}#${send.id}`,
  };
}

function fromItem(item: Record<string, unknown>): ScheduledSend {
  const body = item.post as Uint8Array;
  return {
    id: String(item.id),
    post: JSON.parse(gunzipSync(Buffer.from(body)).toString('utf8')) as Post,
    at: String(item.at),
    scheduledAt: String(item.scheduledAt),
    state: item.state === 'firing' ? 'firing' : 'waiting',
    ...(typeof item.list === 'string' ? { list: item.list } : {}),
    ...(item.resend === true ? { resend: true } : {}),
    ...(item.wave && typeof item.wave === 'object' ? { wave: item.wave as WaveRef } : {}),
  };
}
