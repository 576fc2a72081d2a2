import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../../core/config/schema.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { emailKey, mergeSubscriber, patchMembership } from '../../core/subscribers/index.ts';
import { StoreError } from '../../ports/errors.ts';
import type {
  ListMember,
  ListStatus,
  MembershipPatch,
  Page,
  PutOutcome,
  Subscriber,
  SubscriberStore,
} from '../../ports/subscriber-store.ts';
import {
  batchGet,
  batchWrite,
  type DynamoOptions,
  decodeCursor,
  encodeCursor,
  type Item,
  isConditionFailure,
  key,
  mapLimit,
  storeError,
} from './dynamo-common.ts';
import { ImportLeases } from './dynamo-import-leases.ts';
import {
  emailItemKey,
  listIndexPk,
  membershipItem,
  PROFILE_SHARDS,
  profileItem,
  profileKey,
  type Stored,
  toListMember,
  toSubscriber,
} from './dynamo-subscriber-items.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const CADENCES: readonly Cadence[] = ['instant', 'daily', 'weekly'];
const MAX_ATTEMPTS = 5;

/**
 * Subscribers in the single table (docs/table-design.md):
 * - the profile `SUB#<id> / PROFILE` is the source of truth, memberships included (a map), with a
 *   revision number for optimistic concurrency;
 * - `EMAIL#<lowercased address> / EMAIL` maps an inbox to one id; it is written first, conditionally,
 *   so two concurrent sign-ups of one address cannot make two subscribers;
 * - one item per membership `SUB#<id> / LIST#<list>` carries the index keys
 *   `gsi1pk = LIST#<list>#<status>#<cadence>`, `gsi1sk = <id>`: the planner pages a list by keyset
 *   from that index and never scans. It repeats email and name so a page needs no further reads.
 */
export class DynamoSubscriberStore implements SubscriberStore {
  readonly #o: DynamoOptions;
  readonly #leases: ImportLeases;

  constructor(options: DynamoOptions) {
    this.#o = options;
    this.#leases = new ImportLeases(options);
  }

  async get(id: string): Promise<Subscriber | undefined> {
    return (await this.#getStored(id))?.subscriber;
  }

  async getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    try {
      const items = await batchGet(this.#o, ids.map(profileKey), { consistent: true });
      return new Map(items.map((i) => [i.id as string, toSubscriber(i)]));
    } catch (e) {
      throw e instanceof StoreError ? e : storeError('get subscribers', e);
    }
  }

  async getByEmail(email: string): Promise<Subscriber | undefined> {
    const id = await this.#idOf(email);
    return id ? this.get(id) : undefined;
  }

  async getManyByEmail(emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    const stored = await this.#storedByEmail(emails);
    const out = new Map<string, Subscriber>();
    for (const email of emails) {
      const s = stored.get(emailKey(email));
      if (s) out.set(email, s.subscriber);
    }
    return out;
  }

  async put(subscriber: Subscriber): Promise<{ outcome: PutOutcome; subscriber: Subscriber }> {
    return this.#put(subscriber);
  }

  /** `ownRun`: the import run calling (its own chunk leases hold nothing up). */
  async #put(
    subscriber: Subscriber,
    ownRun?: string,
  ): Promise<{ outcome: PutOutcome; subscriber: Subscriber }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let id = await this.#idOf(subscriber.email);
      let stored: Stored | undefined;
      if (!id) {
        if (!(await this.#lockEmail(subscriber.email, subscriber.id))) continue;
        // An import's batch may have read this address as free before the lock was taken, and be about
        // to overwrite it (dynamo-import-leases.ts): wait for the batches live now, then check the lock.
        await this.#leases.awaitChunks(ownRun);
        if ((await this.#idOf(subscriber.email)) !== subscriber.id) continue;
        id = subscriber.id;
      } else {
        stored = await this.#getStored(id);
      }
      const result = await this.#writeMerged(stored, { ...subscriber, id });
      if (result) return result;
    }
    throw new StoreError(
      `subscriber ${subscriber.email}: gave up after ${MAX_ATTEMPTS} concurrent updates; try again`,
    );
  }

  /**
   * New addresses are written with BatchWriteItem, no condition per row, under an import lease that
   * keeps a concurrent `put` of the same address from being overwritten (dynamo-import-leases.ts);
   * existing ones are merged one by one, conditional on their revision, as `put` does.
   */
  async putMany(
    subscribers: readonly Subscriber[],
    options: { readonly run?: string } = {},
  ): Promise<{ outcome: PutOutcome; subscriber: Subscriber }[]> {
    const keys = subscribers.map((s) => emailKey(s.email));
    if (new Set(keys).size !== keys.length) {
      throw new InvalidInputError('DUPLICATE_EMAILS', 'putMany: the same address appears twice in one call');
    }
    const run = options.run ?? randomUUID();
    const { lease, read } = await this.#leases.openChunk(run, async () => {
      const ids = await this.#idsByEmail(subscribers.map((s) => s.email));
      return { ids, stored: await this.#storedFromIds(ids) };
    });
    const { ids, stored } = read;
    const results: ({ outcome: PutOutcome; subscriber: Subscriber } | undefined)[] = new Array(
      subscribers.length,
    );
    const fresh: { index: number; subscriber: Subscriber }[] = [];
    const known: { index: number; id: string }[] = [];
    subscribers.forEach((s, index) => {
      const k = emailKey(s.email);
      // An email lock without a profile counts as known: a `put` in progress, or a crash between its
      // writes; the conditional write below settles it either way.
      const id = stored.get(k)?.subscriber.id ?? ids.get(k);
      if (id) known.push({ index, id });
      else fresh.push({ index, subscriber: s });
    });
    const slow: number[] = [];
    try {
      if (lease.mayWriteBlind()) {
        // Profiles and memberships first, locks last: a lock found by `put` always leads to a profile.
        await batchWrite(this.#o, {
          puts: fresh.flatMap(({ subscriber }) => [
            profileItem(subscriber, 1),
            ...Object.keys(subscriber.lists).map((l) => membershipItem(subscriber, l)),
          ]),
        });
        await batchWrite(this.#o, {
          puts: fresh.map(({ subscriber: s }) => ({
            ...emailItemKey(s.email),
            type: 'email',
            subscriberId: s.id,
          })),
        });
        for (const { index, subscriber } of fresh) results[index] = { outcome: 'created', subscriber };
      } else {
        // Another import run is live, or this chunk took too long: the conditional path.
        slow.push(...fresh.map((f) => f.index));
      }
    } finally {
      // As soon as the blind writes are done: sign-ups of new addresses wait for this.
      await lease.close();
    }
    // Known addresses: merged one by one, conditional on the revision read (or on absence).
    await mapLimit(known, 16, async ({ index, id }) => {
      const s = subscribers[index] as Subscriber;
      const written = await this.#writeMerged(stored.get(emailKey(s.email)), { ...s, id });
      if (written) results[index] = written;
      else slow.push(index);
    });
    // Lost a race with a concurrent writer: the one-at-a-time path re-reads and merges.
    await mapLimit(slow, 16, async (index) => {
      results[index] = await this.#put(subscribers[index] as Subscriber, run);
    });
    return results as { outcome: PutOutcome; subscriber: Subscriber }[];
  }

  async setMembership(id: string, listId: string, patch: MembershipPatch): Promise<Subscriber> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.#getStored(id);
      if (!stored) throw new NotFoundError('SUBSCRIBER_NOT_FOUND', `subscriber ${id} does not exist`);
      const next = patchMembership(id, listId, stored.subscriber.lists[listId], patch);
      if (!next) return stored.subscriber;
      const subscriber: Subscriber = {
        ...stored.subscriber,
        lists: { ...stored.subscriber.lists, [listId]: next },
        updatedAt: patch.updatedAt,
      };
      if (!(await this.#putProfile(subscriber, stored.rev))) continue;
      await batchWrite(this.#o, { puts: [membershipItem(subscriber, listId)] });
      return subscriber;
    }
    throw new StoreError(`subscriber ${id}: gave up after ${MAX_ATTEMPTS} concurrent updates; try again`);
  }

  async pageByList(
    listId: string,
    query: { readonly status: ListStatus; readonly cadence?: Cadence },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListMember>> {
    const cadences = query.cadence ? [query.cadence] : CADENCES;
    let state = cursor ? decodeCursor<{ c: number; k?: Item }>(cursor, `list ${listId}`) : { c: 0 };
    const items: ListMember[] = [];
    while (items.length < limit && state.c < cadences.length) {
      const cadence = cadences[state.c] as Cadence;
      const res = await this.#query(`list ${listId}`, {
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.pk },
        ExpressionAttributeValues: { ':pk': listIndexPk(listId, query.status, cadence) },
        Limit: limit - items.length,
        ...(state.k ? { ExclusiveStartKey: state.k } : {}),
      });
      for (const i of res.Items ?? []) items.push(toListMember(i));
      state = res.LastEvaluatedKey ? { c: state.c, k: res.LastEvaluatedKey } : { c: state.c + 1 };
    }
    return state.c < cadences.length ? { items, cursor: encodeCursor(state) } : { items };
  }

  async pageAll(cursor: string | undefined, limit: number): Promise<Page<Subscriber>> {
    let state = cursor ? decodeCursor<{ s: number; k?: Item }>(cursor, 'subscribers') : { s: 0 };
    const items: Subscriber[] = [];
    while (items.length < limit && state.s < PROFILE_SHARDS) {
      const res = await this.#query('subscribers', {
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.pk },
        ExpressionAttributeValues: { ':pk': `SUBS#${state.s}` },
        Limit: limit - items.length,
        ...(state.k ? { ExclusiveStartKey: state.k } : {}),
      });
      for (const i of res.Items ?? []) items.push(toSubscriber(i));
      state = res.LastEvaluatedKey ? { s: state.s, k: res.LastEvaluatedKey } : { s: state.s + 1 };
    }
    return state.s < PROFILE_SHARDS ? { items, cursor: encodeCursor(state) } : { items };
  }

  async remove(id: string): Promise<void> {
    const stored = await this.#getStored(id);
    const res = await this.#query(`subscriber ${id}`, {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
      ExpressionAttributeValues: { ':pk': `SUB#${id}` },
      ConsistentRead: true,
    });
    try {
      // Memberships first: once they are gone, no planner can page this subscriber any more.
      const items = (res.Items ?? []).filter((i) => i[TABLE_KEYS.sk] !== 'PROFILE');
      await batchWrite(this.#o, { deletes: items.map((i) => key(i[TABLE_KEYS.pk], i[TABLE_KEYS.sk])) });
      if (stored) {
        await this.#o.doc
          .send(
            new DeleteCommand({
              TableName: this.#o.tableName,
              Key: emailItemKey(stored.subscriber.email),
              ConditionExpression: 'subscriberId = :id',
              ExpressionAttributeValues: { ':id': id },
            }),
          )
          .catch((e: unknown) => {
            if (!isConditionFailure(e)) throw e;
          });
      }
      await this.#o.doc.send(new DeleteCommand({ TableName: this.#o.tableName, Key: profileKey(id) }));
    } catch (e) {
      throw e instanceof StoreError ? e : storeError(`remove subscriber ${id}`, e);
    }
  }

  // ---- internals ----

  async #query(what: string, input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
    try {
      return await this.#o.doc.send(new QueryCommand({ TableName: this.#o.tableName, ...input }));
    } catch (e) {
      throw storeError(`query ${what}`, e);
    }
  }

  async #getStored(id: string): Promise<Stored | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: profileKey(id), ConsistentRead: true }),
      );
      return res.Item ? { subscriber: toSubscriber(res.Item), rev: Number(res.Item.rev ?? 0) } : undefined;
    } catch (e) {
      throw storeError(`get subscriber ${id}`, e);
    }
  }

  async #idOf(email: string): Promise<string | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: emailItemKey(email), ConsistentRead: true }),
      );
      return res.Item?.subscriberId as string | undefined;
    } catch (e) {
      throw storeError(`look up ${email}`, e);
    }
  }

  /** emailKey → subscriber id, for the addresses that have an email lock. */
  async #idsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGet(this.#o, emails.map(emailItemKey), { consistent: true });
    return new Map(
      items.map((i) => [(i[TABLE_KEYS.pk] as string).slice('EMAIL#'.length), i.subscriberId as string]),
    );
  }

  /** emailKey → stored profile (with its revision). */
  async #storedByEmail(emails: readonly string[]): Promise<Map<string, Stored>> {
    return this.#storedFromIds(await this.#idsByEmail(emails));
  }

  async #storedFromIds(ids: ReadonlyMap<string, string>): Promise<Map<string, Stored>> {
    const profiles = await batchGet(this.#o, [...ids.values()].map(profileKey), { consistent: true });
    return new Map(
      profiles.map((i) => [
        emailKey(i.email as string),
        { subscriber: toSubscriber(i), rev: Number(i.rev ?? 0) },
      ]),
    );
  }

  /** Takes the email lock for a new subscriber; false when another id holds it. */
  async #lockEmail(email: string, id: string): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: { ...emailItemKey(email), type: 'email', subscriberId: id },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`reserve ${email}`, e);
    }
  }

  /** Merges and writes; undefined when a concurrent writer won (the caller retries). */
  async #writeMerged(
    stored: Stored | undefined,
    incoming: Subscriber,
  ): Promise<{ outcome: PutOutcome; subscriber: Subscriber } | undefined> {
    const merged = mergeSubscriber(stored?.subscriber, incoming);
    if (!merged.changed) return { outcome: 'unchanged', subscriber: merged.subscriber };
    if (!(await this.#putProfile(merged.subscriber, stored?.rev))) return undefined;
    await batchWrite(this.#o, { puts: merged.changedLists.map((l) => membershipItem(merged.subscriber, l)) });
    return { outcome: stored ? 'updated' : 'created', subscriber: merged.subscriber };
  }

  /** Conditional on the revision read (or on absence); false when someone else wrote in between. */
  async #putProfile(subscriber: Subscriber, rev: number | undefined): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: profileItem(subscriber, (rev ?? 0) + 1),
          ...(rev === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
              }
            : {
                ConditionExpression: '#rev = :rev',
                ExpressionAttributeNames: { '#rev': 'rev' },
                ExpressionAttributeValues: { ':rev': rev },
              }),
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`write subscriber ${subscriber.id}`, e);
    }
  }
}
