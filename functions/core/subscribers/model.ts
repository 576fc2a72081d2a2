import type { Cadence } from '../config/schema.ts';

// The subscriber records the stores keep and core reasons about: the ports use them, core never imports a port.

/** Where a subscriber stands on one list. */
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

/** A subscriber's membership of one list: status, cadence and the evidence of consent. */
export interface Membership {
  readonly status: ListStatus;
  readonly cadence: Cadence;
  readonly consent?: ConsentEvidence;
  readonly updatedAt: string;
  readonly unsubscribedAt?: string;
  /** Why the subscriber left, when known (e.g. 'one-click', 'preferences', 'import:mailchimp'). */
  readonly unsubscribeReason?: string;
}

/** A person who receives mail, with their memberships keyed by list id. */
export interface Subscriber {
  /** Stable opaque id; tokens carry it, never the address. */
  readonly id: string;
  /** Normalized: trimmed, domain lowercased. */
  readonly email: string;
  readonly name?: string;
  /**
   * The reader's IANA time zone (core/schedule/waves.ts checkTimeZone), for lists that deliver at a local
   * time: from the sign-up form's browser, with the reader's consent, or from an import. Kept when an
   * update or a later import says nothing about it.
   */
  readonly timeZone?: string;
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
  /** A copy of the subscriber's, like `email` and `name`. */
  readonly timeZone?: string;
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
