/** Counters of one list over some days, from SES events. */
export interface ListFeedbackCounts {
  /** SES Send events: messages SES accepted. */
  readonly sent: number;
  readonly bounced: number;
  readonly complained: number;
}

/**
 * What record-feedback needs to remember between SES events: per-list daily counters (for the bounce and
 * complaint rates) and each address's recent transient bounces (three within 30 days suppress it).
 */
export interface FeedbackStore {
  /** Adds to the counters of a list for one UTC day (`YYYY-MM-DD`). */
  addListCounts(listId: string, day: string, delta: Partial<ListFeedbackCounts>): Promise<void>;
  /** The sums of a list's counters over the given days. */
  listCounts(listId: string, days: readonly string[]): Promise<ListFeedbackCounts>;
  /**
   * Records one transient bounce of an address, identified by the SES feedback id so a redelivered event
   * counts once, and returns every transient bounce time (ISO 8601) kept for it. Entries are kept until
   * `keepUntil` (epoch seconds).
   */
  addTransientBounce(
    email: string,
    feedbackId: string,
    at: string,
    keepUntil: number,
  ): Promise<readonly string[]>;
}
