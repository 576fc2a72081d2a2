import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../../core/errors.ts';
import { StoreError } from '../../ports/errors.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

/** Options every DynamoDB adapter takes: an injected DocumentClient and the single table's name. */
export interface DynamoOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

export type Item = Record<string, NativeAttributeValue>;
export type Key = { readonly pk: string; readonly sk: string };

export const key = (pk: string, sk: string): Item => ({ [TABLE_KEYS.pk]: pk, [TABLE_KEYS.sk]: sk });

/** A keyset cursor is DynamoDB's LastEvaluatedKey (plus adapter state), as opaque base64url JSON. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, where: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch (cause) {
    throw new InvalidInputError(
      'CURSOR_INVALID',
      `${where}: the page cursor is not one this store gave out`,
      {
        cause,
      },
    );
  }
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Wraps an SDK failure into the ports' StoreError, naming the operation. */
export function storeError(what: string, cause: unknown): StoreError {
  return new StoreError(`${what}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
}

/**
 * One page of a Query by keyset cursor: `cursor` is the one given out with the previous page (DynamoDB's
 * LastEvaluatedKey, opaque), absent on the last page. `what` names the read in errors ("deliveries of …").
 */
export async function queryPage(
  opts: DynamoOptions,
  what: string,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  cursor: string | undefined,
  limit: number,
): Promise<Page<Item>> {
  const start = cursor ? decodeCursor<Item>(cursor, what) : undefined;
  let res: QueryCommandOutput;
  try {
    res = await opts.doc.send(
      new QueryCommand({
        ...input,
        TableName: opts.tableName,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
  } catch (e) {
    throw storeError(`page ${what}`, e);
  }
  const items = res.Items ?? [];
  return res.LastEvaluatedKey ? { items, cursor: encodeCursor(res.LastEvaluatedKey) } : { items };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * BatchGetItem in chunks of 100 (run `concurrency` at a time), retrying UnprocessedKeys with backoff
 * until every key is answered. Returns the items found, in no particular order.
 */
export async function batchGet(
  opts: DynamoOptions,
  keys: readonly Item[],
  options: { readonly consistent?: boolean; readonly concurrency?: number } = {},
): Promise<Item[]> {
  const chunks: Item[][] = [];
  const seen = new Set<string>();
  const unique = keys.filter((k) => {
    const id = `${k[TABLE_KEYS.pk]}\u0000${k[TABLE_KEYS.sk]}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const out: Item[] = [];
  await mapLimit(chunks, options.concurrency ?? 4, async (chunk) => {
    let pending: Item[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      if (attempt > 10) throw storeError('batch get', new Error(`${pending.length} keys left unprocessed`));
      const res = await opts.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [opts.tableName]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) },
          },
        }),
      );
      out.push(...(res.Responses?.[opts.tableName] ?? []));
      pending = (res.UnprocessedKeys?.[opts.tableName]?.Keys ?? []) as Item[];
    }
  });
  return out;
}

/** BatchWriteItem (puts and deletes) in chunks of 25, retrying UnprocessedItems until all are written. */
export async function batchWrite(
  opts: DynamoOptions,
  writes: { readonly puts?: readonly Item[]; readonly deletes?: readonly Item[] },
  concurrency = 4,
): Promise<void> {
  const requests = [
    ...(writes.puts ?? []).map((Item) => ({ PutRequest: { Item } })),
    ...(writes.deletes ?? []).map((Key) => ({ DeleteRequest: { Key } })),
  ];
  const chunks: (typeof requests)[] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await mapLimit(chunks, concurrency, async (chunk) => {
    let pending: unknown[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      if (attempt > 10)
        throw storeError('batch write', new Error(`${pending.length} items left unprocessed`));
      const res = await opts.doc.send(
        new BatchWriteCommand({ RequestItems: { [opts.tableName]: pending as never } }),
      );
      pending = res.UnprocessedItems?.[opts.tableName] ?? [];
    }
  });
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects on the first failure. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A small stable shard number (0..n-1) for spreading one logical index over n partitions. */
export function shardOf(id: string, n: number): number {
  return (createHash('sha1').update(id).digest()[0] ?? 0) % n;
}
