import { NotFoundError } from '../../core/errors.ts';
import type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionRecord,
  EditionStatus,
  EditionStore,
  PlannerCheckpoint,
  StoredRendering,
} from '../../ports/edition-store.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import { byKey, copy, pageOf } from './memory-common.ts';

interface Stored {
  readonly edition: Edition;
  status: EditionStatus;
  completedAt?: string;
  counters: {
    planned: number;
    sent: number;
    failed: number;
    skipped: number;
    skippedReasons: Record<string, number>;
    failedReasons: Record<string, number>;
  };
  checkpoint?: PlannerCheckpoint;
  batchesEnqueued: number;
  cancelledWaves?: Set<string>;
}

/**
 * Editions in memory, with DynamoEditionStore's rules: created once, counters added to (reason
 * codes normalized the same way), the checkpoint advanced only from the expected position, completed
 * once, updates of a missing edition refused with NotFoundError, a list's editions newest first.
 */
export class MemoryEditionStore implements EditionStore {
  readonly #editions = new Map<string, Stored>();
  /**
   * Rendered content as JSON text, the way the DynamoDB adapter keeps it: what comes back is a new
   * value equal to what was saved after a JSON round trip, never the object given.
   */
  readonly #rendered = new Map<string, string>();

  async createIfAbsent(edition: Edition): Promise<{ created: boolean; record: EditionRecord }> {
    const existing = this.#editions.get(edition.id);
    if (existing) return { created: false, record: toRecord(existing) };
    const stored: Stored = {
      edition: copy(edition),
      status: edition.status,
      counters: { planned: 0, sent: 0, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} },
      batchesEnqueued: 0,
    };
    this.#editions.set(edition.id, stored);
    return { created: true, record: { edition: copy(edition), counters: copy(stored.counters) } };
  }

  async get(id: string): Promise<EditionRecord | undefined> {
    const stored = this.#editions.get(id);
    return stored ? toRecord(stored) : undefined;
  }

  async saveRendered(id: string, rendered: StoredRendering): Promise<void> {
    const json = JSON.stringify(rendered);
    this.#must(id);
    this.#rendered.set(id, json);
  }

  async getRendered(id: string): Promise<StoredRendering | undefined> {
    const json = this.#rendered.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as StoredRendering);
  }

  async advanceCheckpoint(id: string, expectedBatches: number, next: PlannerCheckpoint): Promise<boolean> {
    const stored = this.#editions.get(id);
    if (!stored || stored.batchesEnqueued !== expectedBatches) return false;
    stored.checkpoint = copy(next);
    stored.batchesEnqueued = next.batchesEnqueued;
    return true;
  }

  async addCounters(id: string, delta: CounterDelta): Promise<void> {
    const adds: [string, number][] = [];
    for (const name of ['planned', 'sent', 'failed', 'skipped'] as const) {
      const n = delta[name];
      if (n) adds.push([name, n]);
    }
    const reasons = (prefix: string, of: Readonly<Record<string, number>> | undefined) => {
      for (const [r, n] of Object.entries(of ?? {})) if (n) adds.push([`${prefix}${reasonCode(r)}`, n]);
    };
    reasons('skip:', delta.skippedReasons);
    reasons('fail:', delta.failedReasons);
    // An empty delta writes nothing, so it does not ask whether the edition exists (as in DynamoDB).
    if (adds.length === 0) return;
    const c = this.#must(id).counters;
    for (const [name, n] of adds) {
      if (name.startsWith('skip:')) add(c.skippedReasons, name.slice(5), n);
      else if (name.startsWith('fail:')) add(c.failedReasons, name.slice(5), n);
      else c[name as 'planned' | 'sent' | 'failed' | 'skipped'] += n;
    }
  }

  async setStatus(id: string, status: Exclude<EditionStatus, 'completed'>): Promise<void> {
    const stored = this.#must(id);
    // Completed already: a late status change must not reopen it.
    if (stored.status !== 'completed') stored.status = status;
  }

  async markCompleted(id: string, at: string): Promise<void> {
    const stored = this.#must(id);
    stored.status = 'completed';
    stored.completedAt ??= at;
  }

  async setOutcomeCounters(id: string, counters: Omit<EditionCounters, 'planned'>): Promise<void> {
    const c = this.#must(id).counters;
    c.sent = counters.sent;
    c.failed = counters.failed;
    c.skipped = counters.skipped;
    // Sets the recounted reasons and keeps any other, exactly as the DynamoDB adapter's SET does.
    for (const [r, n] of Object.entries(counters.skippedReasons)) c.skippedReasons[reasonCode(r)] = n;
    for (const [r, n] of Object.entries(counters.failedReasons)) c.failedReasons[reasonCode(r)] = n;
  }

  async cancelWave(id: string, waveId: string, readers: number): Promise<boolean> {
    const stored = this.#must(id);
    stored.cancelledWaves ??= new Set();
    if (stored.cancelledWaves.has(waveId)) return false;
    stored.cancelledWaves.add(waveId);
    stored.counters.planned -= readers;
    return true;
  }

  async pageByList(listId: string, cursor: string | undefined, limit: number): Promise<Page<Edition>> {
    const entries = [...this.#editions.values()]
      .filter((s) => s.edition.listId === listId)
      .map((s) => ({ key: `${s.edition.createdAt}#${s.edition.id}`, value: toRecord(s).edition }));
    return pageOf(byKey(entries, true), cursor, limit, `editions of ${listId}`, true);
  }

  #must(id: string): Stored {
    const stored = this.#editions.get(id);
    if (!stored) throw new NotFoundError('EDITION_NOT_FOUND', `edition ${id} does not exist`);
    return stored;
  }
}

function add(to: Record<string, number>, reason: string, n: number): void {
  to[reason] = (to[reason] ?? 0) + n;
}

/** The DynamoDB adapter turns reasons into attribute names this way; the counters read back the same. */
function reasonCode(reason: string): string {
  return (
    reason
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 60) || 'unknown'
  );
}

function toRecord(s: Stored): EditionRecord {
  return copy({
    edition: { ...s.edition, status: s.status, ...(s.completedAt ? { completedAt: s.completedAt } : {}) },
    counters: s.counters,
    ...(s.checkpoint ? { checkpoint: s.checkpoint } : {}),
    ...(s.cancelledWaves?.size ? { cancelledWaves: [...s.cancelledWaves].sort() } : {}),
  });
}
