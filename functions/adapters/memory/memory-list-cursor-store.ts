import type { Cadence } from '../../core/config/schema.ts';
import type { ListCursor, ListCursorStore, SeenFeedItem } from '../../ports/list-cursor-store.ts';
import { copy } from './memory-common.ts';

/**
 * Digest cursors and seen feed items in memory. A cursor moves only from the value the caller read
 * (or is created only when there is none), as DynamoListCursorStore's conditional put does.
 */
export class MemoryListCursorStore implements ListCursorStore {
  readonly #cursors = new Map<string, ListCursor>();
  readonly #seen = new Map<string, Map<string, SeenFeedItem>>();

  async get(listId: string, cadence: Cadence): Promise<ListCursor | undefined> {
    const c = this.#cursors.get(`${listId}\u0000${cadence}`);
    return c ? copy(c) : undefined;
  }

  async advance(cursor: ListCursor, expectedLastDigestAt: string | undefined): Promise<boolean> {
    const k = `${cursor.listId}\u0000${cursor.cadence}`;
    const current = this.#cursors.get(k);
    const ok =
      expectedLastDigestAt === undefined
        ? current === undefined
        : current?.lastDigestAt === expectedLastDigestAt;
    if (ok) this.#cursors.set(k, copy(cursor));
    return ok;
  }

  async getSeen(feedId: string, guids: readonly string[]): Promise<ReadonlyMap<string, SeenFeedItem>> {
    const seen = this.#seen.get(feedId);
    const out = new Map<string, SeenFeedItem>();
    for (const g of guids) {
      const item = seen?.get(g);
      if (item) out.set(g, copy(item));
    }
    return out;
  }

  async markSeen(feedId: string, items: readonly SeenFeedItem[]): Promise<void> {
    const seen = this.#seen.get(feedId) ?? new Map<string, SeenFeedItem>();
    for (const item of items) seen.set(item.guid, copy(item));
    this.#seen.set(feedId, seen);
  }
}
