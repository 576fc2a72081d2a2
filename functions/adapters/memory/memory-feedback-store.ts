import type { FeedbackStore, ListFeedbackCounts } from '../../ports/feedback-store.ts';

const COUNTERS = ['sent', 'bounced', 'complained'] as const;

/**
 * Feedback counters in memory: per list and UTC day (added to), and per address the transient
 * bounces keyed by SES feedback id, so a redelivered event counts once. Like the DynamoDB TTL,
 * `keepUntil` is housekeeping: nothing is read back differently because of it.
 */
export class MemoryFeedbackStore implements FeedbackStore {
  readonly #days = new Map<string, { sent: number; bounced: number; complained: number }>();
  readonly #bounces = new Map<string, Map<string, string>>();

  async addListCounts(listId: string, day: string, delta: Partial<ListFeedbackCounts>): Promise<void> {
    const k = `${listId}\u0000${day}`;
    const c = this.#days.get(k) ?? { sent: 0, bounced: 0, complained: 0 };
    for (const name of COUNTERS) c[name] += delta[name] ?? 0;
    this.#days.set(k, c);
  }

  async listCounts(listId: string, days: readonly string[]): Promise<ListFeedbackCounts> {
    const totals = { sent: 0, bounced: 0, complained: 0 };
    for (const day of new Set(days)) {
      const c = this.#days.get(`${listId}\u0000${day}`);
      if (c) for (const name of COUNTERS) totals[name] += c[name];
    }
    return totals;
  }

  async addTransientBounce(
    email: string,
    feedbackId: string,
    at: string,
    _keepUntil: number,
  ): Promise<string[]> {
    const bounces = this.#bounces.get(email) ?? new Map<string, string>();
    bounces.set(feedbackId, at);
    this.#bounces.set(email, bounces);
    return [...bounces.values()];
  }
}
