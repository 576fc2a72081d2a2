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

export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  getByEmail(email: string): Promise<Subscriber | undefined>;
  /** Creates or merges by email; never drops data that is already there. */
  put(subscriber: Subscriber): Promise<void>;
  /** Eligible members of a list with one cadence, in a stable order, by keyset cursor. */
  pageByList(
    listId: string,
    query: { readonly status: ListStatus; readonly cadence?: Cadence },
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Subscriber>>;
  remove(id: string): Promise<void>;
}
