import type { Cadence } from '../core/config/schema.ts';
import type {
  ListMember,
  ListStatus,
  MembershipPatch,
  Page,
  PutOutcome,
  Subscriber,
} from '../core/subscribers/model.ts';

// The records moved to core; re-exported so code that imports them from this port keeps working.
export type {
  ConsentEvidence,
  ListMember,
  ListStatus,
  Membership,
  MembershipPatch,
  Page,
  PutOutcome,
  Subscriber,
} from '../core/subscribers/model.ts';

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
   * in input order. Emails must be distinct within one call. `run`: the import run the call belongs to
   * (the chunks of one run hold neither each other nor their own conditional writes up); a fresh one
   * when absent.
   */
  putMany(
    subscribers: readonly Subscriber[],
    options?: { readonly run?: string },
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
