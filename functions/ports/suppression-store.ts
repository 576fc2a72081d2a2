import type { Page } from './subscriber-store.ts';

export type SuppressionReason = 'hard-bounce' | 'complaint' | 'manual';

/** An address that must never be mailed again. Global: it applies to every list. */
export interface Suppression {
  /** Normalized (see core/subscribers). */
  readonly email: string;
  readonly reason: SuppressionReason;
  /** ISO 8601. */
  readonly at: string;
  /** e.g. the SES bounce subtype, 'import:mailchimp-cleaned', who suppressed it by hand. */
  readonly detail?: string;
}

export interface SuppressionStore {
  get(email: string): Promise<Suppression | undefined>;
  /** Batch lookup for send-time checks, keyed by the email as given; unsuppressed ones are absent. */
  getMany(emails: readonly string[]): Promise<ReadonlyMap<string, Suppression>>;
  /**
   * Suppresses an address. When it is already suppressed for the same reason, the first record is
   * kept and nothing is written (returns false); a different reason replaces it (returns true).
   * Addresses compare case-insensitively.
   */
  put(suppression: Suppression): Promise<boolean>;
  /** Many puts, batched, same rules; returns how many were written. */
  putMany(suppressions: readonly Suppression[]): Promise<number>;
  /** A missing address is not an error. Returns the removed suppression, if any. */
  remove(email: string): Promise<Suppression | undefined>;
  /** Every suppression, ordered by email, by keyset cursor. */
  page(cursor: string | undefined, limit: number): Promise<Page<Suppression>>;
}
