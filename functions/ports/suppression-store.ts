import type { Page } from '../core/subscribers/model.ts';
import type { Suppression } from '../core/suppressions/model.ts';

// The records moved to core; re-exported so code that imports them from this port keeps working.
export type { Suppression, SuppressionReason } from '../core/suppressions/model.ts';

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
