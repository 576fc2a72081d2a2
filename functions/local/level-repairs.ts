import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Repairs to the level stores dynalite keeps its tables in, made once, before dynalite is first loaded
 * (it takes `MemoryLevel` and `Level` from their modules when it loads); a third, for the store on disk
 * only, is readsInPlace below:
 * 1. dynalite closes a query's iterator through `iterator.return()`, which abstract-level's iterators do
 *    not have, so every Query and Scan left its iterator open, held by the store until it closed, with the
 *    snapshot of the table it read: 9,520 open iterators and 559,100 tree nodes (38 MB) after 10,000
 *    readers were imported (a heap snapshot). Here `return()` closes it.
 * 2. memory-level stores keys and values as Buffers by default, and `Buffer.from` of a short string is a
 *    slice of a shared 8 KB pool, so each small item pinned a whole slab: 80 MB of ArrayBuffers for
 *    10,000 readers (process.memoryUsage()). Stored as strings ('utf8', a memory-level option), an item
 *    costs its size. Keys then sort by UTF-16 code unit instead of UTF-8 byte, which differs only between
 *    astral characters and U+E000–U+FFFF: no key of the local stack's has either.
 */
export function repairLevelStores(): void {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  type Store = new (
    ...args: never[]
  ) => {
    keys(options?: object): { close(): Promise<void>; return?: () => Promise<void> };
    values(options?: object): { close(): Promise<void>; return?: () => Promise<void> };
  };
  const closable = <T extends { close(): Promise<void>; return?: () => Promise<void> }>(it: T): T => {
    it.return ??= () => it.close();
    return it;
  };
  const repaired = <S extends Store>(Original: S, defaults: object): S =>
    // @ts-expect-error: a mixin over a constructor type of unknown arguments
    class extends Original {
      static tidingsRepaired = true;
      constructor(...args: unknown[]) {
        const last = args.length - 1;
        if (typeof args[last] === 'object' && args[last] !== null)
          args[last] = { ...defaults, ...args[last] };
        else args.push(defaults);
        // @ts-expect-error: passed through as given
        super(...args);
      }
      override keys(options?: object) {
        return closable(super.keys(options));
      }
      override values(options?: object) {
        return closable(super.values(options));
      }
    };
  const memory = fromDynalite('memory-level') as { MemoryLevel: Store & { tidingsRepaired?: true } };
  if (memory.MemoryLevel.tidingsRepaired) return;
  memory.MemoryLevel = repaired(memory.MemoryLevel, { storeEncoding: 'utf8' });
  const level = fromDynalite('level') as { Level: Store };
  level.Level = readsInPlace(repaired(level.Level, {}));
}

/**
 * dynalite's reads of the on-disk store (`tidings dev`'s, in .tidings/data) are made in place, with LevelDB's
 * synchronous get, instead of through libuv's thread pool: each asynchronous get handed one key to a pool
 * thread and woke the DynamoDB thread again for its value. A claim and a result read their item first, so
 * that was two hand-offs per message: in a CPU profile of the DynamoDB thread (2,000 readers at 2,000/s),
 * classic-level's `_get` was 14 % of its samples, its `_getSync` 1.5 % once repaired; seven A/B pairs of the
 * first edition, 3.08–3.37 ms of CPU per message against 3.25–3.53. The value is the same, and the caller
 * still gets it asynchronously (a promise), as dynalite expects: only the hand-off is gone. A read with
 * options, or of a store not yet open, goes the usual way. Writes stay asynchronous: classic-level has no
 * synchronous put.
 */
function readsInPlace<S extends new (...args: never[]) => object>(Store: S): S {
  // @ts-expect-error: a mixin over a constructor type of unknown arguments
  return class extends Store {
    get(key: unknown, options?: unknown): Promise<unknown> {
      const self = this as unknown as { status: string; getSync(key: unknown): unknown };
      if (options !== undefined || self.status !== 'open') {
        // @ts-expect-error: passed through as given
        return super.get(key, options);
      }
      try {
        return Promise.resolve(self.getSync(key));
      } catch (error) {
        return Promise.reject(error);
      }
    }
  };
}

type Callback = (err: Error | null, value?: unknown) => void;
interface TableDb {
  get(key: string, cb: Callback): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  tidingsCached?: true;
}

/**
 * dynalite reads the table's description from LevelDB and parses its JSON on every request (db/index.js
 * `getTable`), before the item it was asked for: half the store reads of a claim or a result. Here its
 * table store keeps the descriptions it read or wrote in memory. Only dynalite's own table actions
 * (create, update, delete) write them, through the same `put` and `del`, which update the copy.
 */
export function cacheTableDescriptions(): void {
  const db = createRequire(require.resolve('dynalite'))('./db') as {
    create: (options: object) => { tableDb: TableDb };
  };
  const original = db.create;
  if ((original as { tidingsCached?: true }).tidingsCached) return;
  const create = (options: object) => {
    const store = original(options);
    const tables = store.tableDb;
    if (tables.tidingsCached) return store;
    const cache = new Map<string, unknown>();
    const { get, put, del } = tables;
    tables.get = (key, cb) => {
      if (cache.has(key)) return queueMicrotask(() => cb(null, cache.get(key)));
      get.call(tables, key, (err, value) => {
        if (!err && value !== undefined) cache.set(key, value);
        cb(err, value);
      });
    };
    tables.put = (key, value, cb) => {
      cache.delete(key);
      put.call(tables, key, value, (err) => {
        if (!err) cache.set(key, JSON.parse(JSON.stringify(value)));
        cb(err);
      });
    };
    tables.del = (key, cb) => {
      cache.delete(key);
      del.call(tables, key, cb);
    };
    tables.tidingsCached = true;
    return store;
  };
  db.create = Object.assign(create, { tidingsCached: true as const });
}
