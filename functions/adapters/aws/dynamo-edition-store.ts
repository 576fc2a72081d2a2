import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../core/errors.ts';
import type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionRecord,
  EditionStatus,
  EditionStore,
  PlannerCheckpoint,
  StoredRendering,
} from '../../ports/edition-store.ts';
import { StoreError } from '../../ports/errors.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import {
  batchGet,
  batchWrite,
  type DynamoOptions,
  type Item,
  isConditionFailure,
  key,
  queryPage,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const metaKey = (id: string) => key(`EDITION#${id}`, 'META');
const chunkKey = (id: string, n: number) => key(`EDITION#${id}`, `RENDERED#${String(n).padStart(3, '0')}`);
/**
 * Rendered content is gzipped JSON split into chunks of this size: a 150 KB edition gzips to about
 * 30 KB (one chunk), and the 400 KB item limit is never approached whatever the render produces.
 */
const CHUNK_BYTES = 300 * 1024;
const SKIP = 'skip:';
const FAIL = 'fail:';

/**
 * Editions in the single table: `EDITION#<id> / META` holds the edition, its counters (top-level
 * numbers changed with atomic ADD, one attribute per reason: `skip:<reason>`, `fail:<reason>`) and
 * the planner checkpoint; `EDITION#<id> / RENDERED#nnn` hold the gzipped rendered content;
 * `gsi1pk = EDITIONS#<list>`, `gsi1sk = <createdAt>#<id>` lists a list's editions newest first.
 */
export class DynamoEditionStore implements EditionStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async createIfAbsent(edition: Edition): Promise<{ created: boolean; record: EditionRecord }> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: {
            ...metaKey(edition.id),
            type: 'edition',
            edition,
            status: edition.status,
            planned: 0,
            sent: 0,
            failed: 0,
            skipped: 0,
            batchesEnqueued: 0,
            [TABLE_KEYS.gsi1.pk]: `EDITIONS#${edition.listId}`,
            [TABLE_KEYS.gsi1.sk]: `${edition.createdAt}#${edition.id}`,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        }),
      );
      return { created: true, record: { edition, counters: emptyCounters() } };
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(`create edition ${edition.id}`, e);
    }
    const record = await this.get(edition.id);
    if (!record) throw new StoreError(`edition ${edition.id} exists but could not be read`);
    return { created: false, record };
  }

  async get(id: string): Promise<EditionRecord | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: metaKey(id), ConsistentRead: true }),
      );
      return res.Item ? toRecord(res.Item) : undefined;
    } catch (e) {
      throw storeError(`get edition ${id}`, e);
    }
  }

  async saveRendered(id: string, rendered: StoredRendering): Promise<void> {
    const zipped = gzipSync(Buffer.from(JSON.stringify(rendered), 'utf8'));
    const chunks: Item[] = [];
    for (let n = 0, at = 0; at < zipped.length || n === 0; n++, at += CHUNK_BYTES) {
      chunks.push({ ...chunkKey(id, n), type: 'rendered', data: zipped.subarray(at, at + CHUNK_BYTES) });
    }
    await batchWrite(this.#o, { puts: chunks });
    // The chunk count goes on META last: a reader never sees a count whose chunks are not all there.
    await this.#update(id, 'SET renderedChunks = :n, renderedBytes = :b', {
      ':n': chunks.length,
      ':b': zipped.length,
    });
  }

  async getRendered(id: string): Promise<StoredRendering | undefined> {
    const meta = await this.#o.doc
      .send(new GetCommand({ TableName: this.#o.tableName, Key: metaKey(id), ConsistentRead: true }))
      .catch((e: unknown) => {
        throw storeError(`get edition ${id}`, e);
      });
    const count = Number(meta.Item?.renderedChunks ?? 0);
    if (count === 0) return undefined;
    const keys = Array.from({ length: count }, (_, n) => chunkKey(id, n));
    const items = await batchGet(this.#o, keys, { consistent: true });
    items.sort((a, b) => String(a[TABLE_KEYS.sk]).localeCompare(String(b[TABLE_KEYS.sk])));
    if (items.length !== count) throw new StoreError(`edition ${id}: rendered content is incomplete`);
    const zipped = Buffer.concat(items.map((i) => Buffer.from(i.data as Uint8Array)));
    return JSON.parse(gunzipSync(zipped).toString('utf8')) as StoredRendering;
  }

  async advanceCheckpoint(id: string, expectedBatches: number, next: PlannerCheckpoint): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: metaKey(id),
          UpdateExpression: 'SET checkpoint = :cp, batchesEnqueued = :next',
          ConditionExpression: 'attribute_exists(#pk) AND batchesEnqueued = :expected',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
          ExpressionAttributeValues: {
            ':cp': next,
            ':next': next.batchesEnqueued,
            ':expected': expectedBatches,
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`advance checkpoint of edition ${id}`, e);
    }
  }

  async addCounters(id: string, delta: CounterDelta): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    const add = (attr: string, n: number | undefined) => {
      if (!n) return;
      const i = adds.length;
      names[`#a${i}`] = attr;
      values[`:a${i}`] = n;
      adds.push(`#a${i} :a${i}`);
    };
    add('planned', delta.planned);
    add('sent', delta.sent);
    add('failed', delta.failed);
    add('skipped', delta.skipped);
    for (const [r, n] of Object.entries(delta.skippedReasons ?? {})) add(`${SKIP}${reasonCode(r)}`, n);
    for (const [r, n] of Object.entries(delta.failedReasons ?? {})) add(`${FAIL}${reasonCode(r)}`, n);
    if (adds.length === 0) return;
    await this.#update(id, `ADD ${adds.join(', ')}`, values, names);
  }

  async setStatus(id: string, status: Exclude<EditionStatus, 'completed'>): Promise<void> {
    try {
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: metaKey(id),
          UpdateExpression: 'SET #status = :s',
          ConditionExpression: 'attribute_exists(#pk) AND #status <> :done',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#status': 'status' },
          ExpressionAttributeValues: { ':s': status, ':done': 'completed' },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(`set status of edition ${id}`, e);
      if (!(await this.get(id))) throw new NotFoundError('EDITION_NOT_FOUND', `edition ${id} does not exist`);
      // Completed already: a late status change must not reopen it.
    }
  }

  async markCompleted(id: string, at: string): Promise<void> {
    await this.#update(
      id,
      'SET #status = :done, completedAt = if_not_exists(completedAt, :at)',
      {
        ':done': 'completed',
        ':at': at,
      },
      { '#status': 'status' },
    );
  }

  async setOutcomeCounters(id: string, counters: Omit<EditionCounters, 'planned'>): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const sets: string[] = [];
    const set = (attr: string, n: number) => {
      const i = sets.length;
      names[`#s${i}`] = attr;
      values[`:s${i}`] = n;
      sets.push(`#s${i} = :s${i}`);
    };
    set('sent', counters.sent);
    set('failed', counters.failed);
    set('skipped', counters.skipped);
    // Every reason a running sum holds was counted from a ledger result, so the recount names it too:
    // setting the recounted reasons replaces them all.
    for (const [r, n] of Object.entries(counters.skippedReasons)) set(`${SKIP}${reasonCode(r)}`, n);
    for (const [r, n] of Object.entries(counters.failedReasons)) set(`${FAIL}${reasonCode(r)}`, n);
    await this.#update(id, `SET ${sets.join(', ')}`, values, names);
  }

  async pageByList(listId: string, cursor: string | undefined, limit: number): Promise<Page<Edition>> {
    const page = await queryPage(
      this.#o,
      `editions of ${listId}`,
      {
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.pk },
        ExpressionAttributeValues: { ':pk': `EDITIONS#${listId}` },
        ScanIndexForward: false,
      },
      cursor,
      limit,
    );
    return { ...page, items: page.items.map((i) => toRecord(i).edition) };
  }

  async cancelWave(id: string, waveId: string, readers: number): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: metaKey(id),
          // A string set: ADD puts the wave in once, and the condition makes a second call a no-op.
          UpdateExpression: 'ADD planned :less, cancelledWaves :wave',
          ConditionExpression: 'attribute_exists(#pk) AND NOT contains(cancelledWaves, :id)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
          ExpressionAttributeValues: { ':less': -readers, ':wave': new Set([waveId]), ':id': waveId },
        }),
      );
      return true;
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(`cancel wave ${waveId} of edition ${id}`, e);
      if (!(await this.get(id))) throw new NotFoundError('EDITION_NOT_FOUND', `edition ${id} does not exist`);
      return false;
    }
  }

  /** An update of an edition that must exist. */
  async #update(
    id: string,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<void> {
    try {
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: metaKey(id),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, ...names },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new NotFoundError('EDITION_NOT_FOUND', `edition ${id} does not exist`);
      throw storeError(`update edition ${id}`, e);
    }
  }
}

/** Reason codes become attribute names: keep them short and plain. */
function reasonCode(reason: string): string {
  return (
    reason
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 60) || 'unknown'
  );
}

function emptyCounters(): EditionCounters {
  return { planned: 0, sent: 0, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} };
}

function toRecord(i: Item): EditionRecord {
  const skippedReasons: Record<string, number> = {};
  const failedReasons: Record<string, number> = {};
  for (const [k, v] of Object.entries(i)) {
    if (k.startsWith(SKIP)) skippedReasons[k.slice(SKIP.length)] = Number(v);
    else if (k.startsWith(FAIL)) failedReasons[k.slice(FAIL.length)] = Number(v);
  }
  const stored = i.edition as Edition;
  const edition: Edition = {
    ...stored,
    status: i.status as EditionStatus,
    ...(typeof i.completedAt === 'string' ? { completedAt: i.completedAt } : {}),
  };
  return {
    edition,
    counters: {
      planned: Number(i.planned ?? 0),
      sent: Number(i.sent ?? 0),
      failed: Number(i.failed ?? 0),
      skipped: Number(i.skipped ?? 0),
      skippedReasons,
      failedReasons,
    },
    ...(i.checkpoint ? { checkpoint: i.checkpoint as PlannerCheckpoint } : {}),
    ...(i.cancelledWaves instanceof Set && i.cancelledWaves.size > 0
      ? { cancelledWaves: [...(i.cancelledWaves as Set<string>)].sort() }
      : {}),
  };
}
