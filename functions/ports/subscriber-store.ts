import type { Cadence } from '../core/config/schema.ts';

export type ListStatus = 'pending' | 'subscribed' | 'unsubscribed';

/** When, how and where consent was given (GDPR: the controller must be able to show it). */
export interface ConsentEvidence {
  /** ISO 8601. */
  readonly at: string;
  /** e.g. 'double-opt-in', 'import:mailchimp', 'cli'. */
  readonly method: string;
  /** e.g. the form URL, the import file name. */
  readonly source: string;
  readonly ip?: string;
  readonly confirmedAt?: string;
  readonly confirmedIp?: string;
}

export interface Membership {
  readonly status: ListStatus;
  readonly cadence: Cadence;
  readonly consent?: ConsentEvidence;
  readonly updatedAt: string;
  readonly unsubscribedAt?: string;
  /** Why the subscriber left, when known (e.g. 'one-click', 'preferences', 'import:mailchimp'). */
  readonly unsubscribeReason?: string;
}

export interface Subscriber {
  /** Stable opaque id; tokens carry it, never the address. */
  readonly id: string;
  /** Normalized: trimmed, domain lowercased. */
  readonly email: string;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Per-list status, keyed by list id. */
  readonly lists: Readonly<Record<string, Membership>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One page of a keyset-paged query. `cursor` is absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

/**
 * One member of one list, as the planner needs it: no profile read per recipient.
 * `email` and `name` are copies of the subscriber's, kept in step by the store.
 */
export interface ListMember {
  readonly subscriberId: string;
  readonly email: string;
  readonly name?: string;
  readonly listId: string;
  readonly membership: Membership;
}

/**
 * A change to one list membership. Omitted fields keep their stored value; `updatedAt` is required
 * because the store has no clock. Creating a membership that does not exist needs `status` and `cadence`.
 */
export interface MembershipPatch {
  readonly status?: ListStatus;
  readonly cadence?: Cadence;
  readonly consent?: ConsentEvidence;
  readonly unsubscribedAt?: string;
  readonly unsubscribeReason?: string;
  readonly updatedAt: string;
}

/** What `put` did: `unchanged` means nothing was written (an idempotent re-import). */
export type PutOutcome = 'created' | 'updated' | 'unchanged';

export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  /** Batch lookup by id (send-time status checks); unknown ids are absent from the map. */
  getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Subscriber>>;
  /** `email` must already be normalized (see core/subscribers). */
  getByEmail(email: string): Promise<Subscriber | undefined>;
  /** Batch lookup by normalized email, keyed by the email as given; missing addresses are absent. */
  getManyByEmail(emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>>;
  /**
   * Creates, or merges by email into the stored subscriber: never drops data that is already there
   * (lists and attributes are merged key by key; the stored id and createdAt win). An
   * `unsubscribed` membership is never turned back to pending/subscribed by `put`: resubscribing
   * goes through `setMembership`. Emails compare case-insensitively (one subscriber per inbox).
   * Writes nothing when the merge changes nothing. Returns the stored subscriber after the merge.
   */
  put(subscriber: Subscriber): Promise<{ readonly outcome: PutOutcome; readonly subscriber: Subscriber }>;
  /**
   * Many `put`s, with batched reads and writes (import). Same merge rules, same per-item outcome,
   * in input order. Emails must be distinct within one call.
   */
  putMany(
    subscribers: readonly Subscriber[],
  ): Promise<readonly { readonly outcome: PutOutcome; readonly subscriber: Subscriber }[]>;
  /**
   * Changes one membership and leaves the others alone. A move to a status other than
   * `unsubscribed` clears `unsubscribedAt`/`unsubscribeReason` unless the patch sets them. Throws NotFoundError for an unknown
   * subscriber, InvalidInputError when creating a membership without status and cadence.
   */
  setMembership(id: string, listId: string, patch: MembershipPatch): Promise<Subscriber>;
  /** Members of a list with one status (and cadence, if given), in a stable order, by keyset cursor. */
  pageByList(
    listId: string,
    query: { readonly status: ListStatus; readonly cadence?: Cadence },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<ListMember>>;
  /** Every subscriber, by keyset cursor (export, maintenance). */
  pageAll(cursor: string | undefined, limit: number): Promise<Page<Subscriber>>;
  /** Deletes the subscriber, its memberships and its email index entry. A missing id is not an error. */
  remove(id: string): Promise<void>;
}
