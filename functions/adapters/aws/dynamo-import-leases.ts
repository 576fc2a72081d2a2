import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, type DynamoOptions, type Item, key, storeError } from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

// Import leases: what lets the subscriber import create new subscribers with BatchWriteItem (no condition
// per row) without ever losing a concurrent sign-up of the same address. docs/table-design.md has the
// items; docs/architecture.md the argument in short. Here in full:
//
// A new subscriber is made of its email lock `EMAIL#<address>` (address → id), its profile and its
// memberships. `put` takes the lock with a conditional write; a batch cannot, so a batch that blindly
// writes the lock of an address it read as free could replace the lock a concurrent `put` took in between
// (the other subscriber would be orphaned, and its sign-up lost). DynamoDB's transactions would make the
// check and the write one step, but dynalite (the local stack) has none. So each side writes a flag first
// and reads the other's after (as in Dekker's mutual exclusion), all with consistent reads:
//
// - the batch (a chunk of one import run): writes a CHUNK lease (and its RUN item), then reads the
//   addresses' locks, then blind-writes the profiles and memberships, then the locks, then deletes the
//   CHUNK lease. An address whose lock it found is merged through the conditional path instead.
// - `put` creating an address: takes the lock (conditional), then reads the live CHUNK leases; it waits
//   until those it saw are gone (or expired), then reads its lock again. If the lock is no longer its own,
//   a batch wrote the address in between: it starts again, and merges into the subscriber the batch made.
//   Its profile is written only after that check, so nothing of it is ever orphaned.
//
// Either the batch's lease came before `put` read the leases (then `put` sees it, or sees it already gone,
// and in both cases reads its lock after the batch's write), or the lease came after (then the batch read
// the locks after `put` took its lock, and merges instead of overwriting). Two import runs at once: each
// also reads the other's RUN items after writing its own, and a run that sees another run that is live
// (or ended less than RUN_WINDOW_MS ago: a deleted flag cannot be seen) creates its rows through `put`,
// which the rule above protects against the other run's batches.
//
// The cost: a new address made by `put` (a sign-up) pays one Query and one GetItem more; a chunk of an
// import pays two writes, one Query and one delete instead of one conditional PutItem per new address.
// A lease lives CHUNK_TTL_MS at most: a crashed importer holds `put` up for that long, no longer, and a
// batch that has spent half of it before its blind write goes through `put` instead (clocks of the
// processes are assumed to agree within seconds, as the sign-up tokens' expiry already assumes).

const PK = 'IMPORTS';
/** The longest a chunk lease holds sign-ups of a new address up (a crashed importer). */
export const CHUNK_TTL_MS = 60_000;
/** How long after its last chunk an import run still sends another run through the conditional path. */
const RUN_WINDOW_MS = CHUNK_TTL_MS;
/** The DynamoDB TTL attribute of the table (infra/stacks/stateful-stack.ts TTL_ATTRIBUTE). */
const TTL = 'ttl';

interface Lease {
  readonly sk: string;
  readonly until: number;
}

/** One chunk's lease, taken by `ImportLeases.openChunk`. */
export interface ChunkLease {
  /** The CHUNK lease is still young enough for a blind write, and no other import run was seen. */
  mayWriteBlind(): boolean;
  close(): Promise<void>;
}

export class ImportLeases {
  readonly #o: DynamoOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #seq = 0;

  constructor(options: DynamoOptions, now: () => number = Date.now) {
    this.#o = options;
    this.#now = now;
    this.#sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Writes this chunk's lease (and the run's item), then calls `read` (the chunk's reads of the locks
   * must come after the lease), then looks for other runs.
   */
  async openChunk<T>(run: string, read: () => Promise<T>): Promise<{ lease: ChunkLease; read: T }> {
    const started = this.#now();
    const chunk = `CHUNK#${run}#${this.#seq++}`;
    await batchWrite(this.#o, {
      puts: [
        leaseItem(chunk, started + CHUNK_TTL_MS, run),
        leaseItem(`RUN#${run}`, started + RUN_WINDOW_MS, run),
      ],
    });
    const value = await read();
    const others = (await this.#live()).filter((l) => l.sk.startsWith('RUN#') && l.sk !== `RUN#${run}`);
    const lease: ChunkLease = {
      mayWriteBlind: () => others.length === 0 && this.#now() - started < CHUNK_TTL_MS / 2,
      close: async () => {
        try {
          await this.#o.doc.send(new DeleteCommand({ TableName: this.#o.tableName, Key: key(PK, chunk) }));
        } catch (e) {
          throw storeError('close import lease', e);
        }
      },
    };
    return { lease, read: value };
  }

  /**
   * For `put`, after it took a new address's lock: waits until every chunk lease live now (other than
   * `ownRun`'s) is closed or expired.
   */
  async awaitChunks(ownRun?: string): Promise<void> {
    const mine = ownRun ? `CHUNK#${ownRun}#` : undefined;
    const chunks = (live: Lease[]) =>
      live.filter((l) => l.sk.startsWith('CHUNK#') && (!mine || !l.sk.startsWith(mine)));
    let waiting = chunks(await this.#live());
    for (let delay = 10; waiting.length > 0; delay = Math.min(200, delay * 2)) {
      await this.#sleep(delay);
      const now = new Set(chunks(await this.#live()).map((l) => l.sk));
      waiting = waiting.filter((l) => now.has(l.sk) && l.until > this.#now());
    }
  }

  /** The leases not yet expired (consistent read). */
  async #live(): Promise<Lease[]> {
    const out: Lease[] = [];
    let start: Item | undefined;
    const now = this.#now();
    try {
      do {
        const res = await this.#o.doc.send(
          new QueryCommand({
            TableName: this.#o.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
            ExpressionAttributeValues: { ':pk': PK },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const i of res.Items ?? []) {
          const until = Number(i.until ?? 0);
          if (until > now) out.push({ sk: i[TABLE_KEYS.sk] as string, until });
        }
        start = res.LastEvaluatedKey;
      } while (start);
    } catch (e) {
      throw storeError('read import leases', e);
    }
    return out;
  }
}

function leaseItem(sk: string, until: number, run: string): Item {
  return { ...key(PK, sk), type: 'import-lease', run, until, [TTL]: Math.ceil(until / 1000) + 86_400 };
}
