import type { SendQuota } from './mail-transport.ts';

/** The account's SES quota as the senders last read it, and when a sender last set out to read it. */
export interface CachedSendQuota {
  readonly quota?: SendQuota;
  /** ISO 8601: when `quota` was read from SES. */
  readonly fetchedAt?: string;
  /** ISO 8601: when a sender last claimed the refresh (see claimRefresh). */
  readonly claimedAt?: string;
}

/**
 * The SES quota shared by every sender (one item in the table): GetSendQuota allows about one call a
 * second per account, and a hundred senders start together, so one of them reads it at most once a
 * minute and the others read this.
 */
export interface SendQuotaStore {
  get(): Promise<CachedSendQuota | undefined>;
  /**
   * Claims the next GetSendQuota call: true for exactly one caller among concurrent ones, and only when no
   * claim was made at or after `notBefore` (ISO 8601). The claim is recorded as `now`.
   */
  claimRefresh(now: string, notBefore: string): Promise<boolean>;
  /** Stores what GetSendQuota answered, read at `at`. */
  save(quota: SendQuota, at: string): Promise<void>;
}
