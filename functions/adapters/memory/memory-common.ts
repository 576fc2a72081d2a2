import { InvalidInputError } from '../../core/errors.ts';
import type { Page } from '../../ports/subscriber-store.ts';

/**
 * A deep copy: the in-memory stores keep their own copies and hand out copies, so a caller that
 * changes what it got (or what it gave) cannot change what is stored, as with a real database.
 */
export const copy = <T>(value: T): T => structuredClone(value);

/** One entry of a sorted listing: the sort key a keyset cursor points at, and the value. */
export interface Keyed<T> {
  readonly key: string;
  readonly value: T;
}

/**
 * One page of `entries` (already in page order) by keyset cursor: the cursor is the last key handed
 * out, as opaque base64url JSON, so an item written or removed between two pages does not shift the
 * others (what DynamoDB's LastEvaluatedKey gives). `descending` when the order is newest first.
 * `what` names the listing in errors.
 */
export function pageOf<T>(
  entries: readonly Keyed<T>[],
  cursor: string | undefined,
  limit: number,
  what: string,
  descending = false,
): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    const last = decodeCursor(cursor, what);
    start = entries.findIndex((e) => (descending ? e.key < last : e.key > last));
    if (start < 0) start = entries.length;
  }
  const slice = entries.slice(start, start + Math.max(1, limit));
  const items = slice.map((e) => copy(e.value));
  const end = slice.at(-1);
  return start + slice.length < entries.length && end ? { items, cursor: encodeCursor(end.key) } : { items };
}

/** Sorts entries by key (code-unit order, as DynamoDB compares string keys). */
export function byKey<T>(entries: Keyed<T>[], descending = false): Keyed<T>[] {
  return entries.sort((a, b) => (a.key === b.key ? 0 : a.key < b.key !== descending ? -1 : 1));
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, what: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError('CURSOR_INVALID', `${what}: the page cursor is not one this store gave out`);
}
