import type { FeedState, FeedStateStore } from '../../ports/feed-state-store.ts';
import { copy } from './memory-common.ts';

/** The poller's memory of each feed, in memory; resume lifts a pause as DynamoFeedStateStore does. */
export class MemoryFeedStateStore implements FeedStateStore {
  readonly #states = new Map<string, FeedState>();

  async get(feedId: string): Promise<FeedState | undefined> {
    const s = this.#states.get(feedId);
    return s ? copy(s) : undefined;
  }

  async put(state: FeedState): Promise<void> {
    this.#states.set(state.feedId, copy(state));
  }

  async resume(feedId: string): Promise<FeedState | undefined> {
    const before = this.#states.get(feedId);
    if (!before) return undefined;
    const { pausedAt: _p, lastError: _e, ...kept } = before;
    this.#states.set(feedId, { ...kept, failures: 0 });
    return copy(before);
  }
}
