/** What the poller remembers about one configured feed between polls. */
export interface FeedState {
  readonly feedId: string;
  /** Validators of the last document read, sent back as a conditional GET. */
  readonly etag?: string;
  readonly lastModified?: string;
  /** Polls that failed in a row since the last success. */
  readonly failures: number;
  /** The last failure, one line. */
  readonly lastError?: string;
  /** ISO 8601. */
  readonly lastPolledAt?: string;
  /** ISO 8601. Absent until the first successful poll, which only records what the feed already holds. */
  readonly lastSuccessAt?: string;
  /** ISO 8601. Set when the poller gave up on the feed; nothing is fetched until an operator resumes it. */
  readonly pausedAt?: string;
}

export interface FeedStateStore {
  get(feedId: string): Promise<FeedState | undefined>;
  /** Creates or replaces the state of a feed. */
  put(state: FeedState): Promise<void>;
  /** Lifts a pause and clears the failure count. Returns the state before, if there was one. */
  resume(feedId: string): Promise<FeedState | undefined>;
}
