import type { Cadence } from '../../core/config/schema.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { emailKey, mergeSubscriber, patchMembership } from '../../core/subscribers/index.ts';
import type {
  ListMember,
  ListStatus,
  Membership,
  MembershipPatch,
  Page,
  PutOutcome,
  Subscriber,
  SubscriberStore,
} from '../../ports/subscriber-store.ts';
import { byKey, copy, type Keyed, pageOf } from './memory-common.ts';

/** The order DynamoSubscriberStore pages a list in when no cadence is given: cadence, then id. */
const CADENCES: readonly Cadence[] = ['instant', 'daily', 'weekly'];

/**
 * Subscribers in memory, with the DynamoDB adapter's rules: one subscriber per inbox (addresses
 * compare case-insensitively), puts merge without dropping data (core mergeSubscriber), memberships
 * change one at a time, lists page by keyset in a stable order (cadence, then subscriber id).
 */
export class MemorySubscriberStore implements SubscriberStore {
  readonly #profiles = new Map<string, Subscriber>();
  /** emailKey → subscriber id: the email lock of the DynamoDB adapter. */
  readonly #ids = new Map<string, string>();

  async get(id: string): Promise<Subscriber | undefined> {
    const s = this.#profiles.get(id);
    return s ? copy(s) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    const out = new Map<string, Subscriber>();
    for (const id of ids) {
      const s = this.#profiles.get(id);
      if (s) out.set(id, copy(s));
    }
    return out;
  }

  async getByEmail(email: string): Promise<Subscriber | undefined> {
    return this.#byEmail(email);
  }

  async getManyByEmail(emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>> {
    const out = new Map<string, Subscriber>();
    for (const email of emails) {
      const s = this.#byEmail(email);
      if (s) out.set(email, s);
    }
    return out;
  }

  async put(subscriber: Subscriber): Promise<{ outcome: PutOutcome; subscriber: Subscriber }> {
    return this.#put(subscriber);
  }

  async putMany(
    subscribers: readonly Subscriber[],
  ): Promise<{ outcome: PutOutcome; subscriber: Subscriber }[]> {
    const keys = subscribers.map((s) => emailKey(s.email));
    if (new Set(keys).size !== keys.length) {
      throw new InvalidInputError('DUPLICATE_EMAILS', 'putMany: the same address appears twice in one call');
    }
    return subscribers.map((s) => this.#put(s));
  }

  async setMembership(id: string, listId: string, patch: MembershipPatch): Promise<Subscriber> {
    const stored = this.#profiles.get(id);
    if (!stored) throw new NotFoundError('SUBSCRIBER_NOT_FOUND', `subscriber ${id} does not exist`);
    const next = patchMembership(id, listId, stored.lists[listId], patch);
    if (!next) return copy(stored);
    const subscriber: Subscriber = {
      ...stored,
      lists: { ...stored.lists, [listId]: next },
      updatedAt: patch.updatedAt,
    };
    this.#profiles.set(id, subscriber);
    return copy(subscriber);
  }

  async pageByList(
    listId: string,
    query: { readonly status: ListStatus; readonly cadence?: Cadence },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListMember>> {
    const entries: Keyed<ListMember>[] = [];
    for (const s of this.#profiles.values()) {
      const m = s.lists[listId];
      if (!m || m.status !== query.status || (query.cadence && m.cadence !== query.cadence)) continue;
      // Cadence first, as the DynamoDB adapter walks one index partition per cadence.
      const key = `${CADENCES.indexOf(m.cadence)}#${s.id}`;
      entries.push({ key, value: toListMember(s, listId, m) });
    }
    return pageOf(byKey(entries), cursor, limit, `list ${listId}`);
  }

  async pageAll(cursor: string | undefined, limit: number): Promise<Page<Subscriber>> {
    const entries = [...this.#profiles.values()].map((s) => ({ key: s.id, value: s }));
    return pageOf(byKey(entries), cursor, limit, 'subscribers');
  }

  async remove(id: string): Promise<void> {
    const stored = this.#profiles.get(id);
    if (!stored) return;
    const k = emailKey(stored.email);
    // Only the lock this subscriber holds: never another subscriber's.
    if (this.#ids.get(k) === id) this.#ids.delete(k);
    this.#profiles.delete(id);
  }

  #byEmail(email: string): Subscriber | undefined {
    const id = this.#ids.get(emailKey(email));
    const s = id === undefined ? undefined : this.#profiles.get(id);
    return s ? copy(s) : undefined;
  }

  /** Synchronous, so two puts of one new address cannot interleave: the first takes the address. */
  #put(incoming: Subscriber): { outcome: PutOutcome; subscriber: Subscriber } {
    const k = emailKey(incoming.email);
    const id = this.#ids.get(k) ?? incoming.id;
    const stored = this.#profiles.get(id);
    const merged = mergeSubscriber(stored, { ...copy(incoming), id });
    if (!merged.changed) return { outcome: 'unchanged', subscriber: copy(merged.subscriber) };
    this.#ids.set(k, id);
    this.#profiles.set(id, merged.subscriber);
    return { outcome: stored ? 'updated' : 'created', subscriber: copy(merged.subscriber) };
  }
}

function toListMember(s: Subscriber, listId: string, membership: Membership): ListMember {
  return {
    subscriberId: s.id,
    email: s.email,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
    listId,
    membership,
  };
}
