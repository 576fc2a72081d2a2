import type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionRecord,
  EditionStatus,
  PlannerCheckpoint,
  StoredRendering,
} from '../core/editions/model.ts';
import type { Page } from './subscriber-store.ts';

// The edition record types live in core (core/editions/model.ts); re-exported so importers of the port
// keep compiling.
export type {
  CounterDelta,
  Edition,
  EditionCounters,
  EditionKind,
  EditionPostRef,
  EditionRecord,
  EditionStatus,
  PlannerCheckpoint,
  StoredRendering,
} from '../core/editions/model.ts';

export interface EditionStore {
  /**
   * Creates the edition unless one with that id exists (conditional write). Returns the stored
   * record and whether this call created it; a second call never overwrites the first.
   */
  createIfAbsent(edition: Edition): Promise<{ readonly created: boolean; readonly record: EditionRecord }>;
  get(id: string): Promise<EditionRecord | undefined>;
  /**
   * Stores the edition's rendering and compiled message, once per edition (gzipped and split into
   * chunks by the DynamoDB adapter, so hundreds of KB are fine). Overwrites a previous save.
   */
  saveRendered(id: string, rendered: StoredRendering): Promise<void>;
  /** The rendering given to saveRendered, or undefined when the edition has none stored yet. */
  getRendered(id: string): Promise<StoredRendering | undefined>;
  /**
   * Moves the checkpoint forward. Conditional: succeeds only when the stored `batchesEnqueued`
   * equals `expectedBatches` (0 when none is stored), so two planners cannot both advance it.
   * Returns false when the condition failed (someone else advanced it).
   */
  advanceCheckpoint(id: string, expectedBatches: number, next: PlannerCheckpoint): Promise<boolean>;
  /** Atomic ADD to the counters (safe from many concurrent senders). */
  addCounters(id: string, delta: CounterDelta): Promise<void>;
  setStatus(id: string, status: Exclude<EditionStatus, 'completed'>): Promise<void>;
  /** Sets status completed and completedAt, once: later calls keep the first time. */
  markCompleted(id: string, at: string): Promise<void>;
  /**
   * Sets the outcome counters (sent, failed, skipped and their reasons) to values counted from the
   * ledger, replacing the running sums. Only for an edition whose deliveries all have a result.
   */
  setOutcomeCounters(id: string, counters: Omit<EditionCounters, 'planned'>): Promise<void>;
  /**
   * Takes a cancelled time-zone wave's readers out of the edition, once: `planned` goes down by `readers`
   * and the wave joins `cancelledWaves`, in one conditional write. False when the wave was recorded as
   * cancelled already (a second call changes nothing).
   */
  cancelWave(id: string, waveId: string, readers: number): Promise<boolean>;
  /** Editions of a list, newest first, by keyset cursor (status listings). */
  pageByList(listId: string, cursor: string | undefined, limit: number): Promise<Page<Edition>>;
}
