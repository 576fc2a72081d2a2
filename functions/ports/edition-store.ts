import type { Cadence } from '../core/config/schema.ts';
import type { Page } from './subscriber-store.ts';

export type EditionKind = 'publish' | 'digest';
export type EditionStatus = 'planning' | 'sending' | 'completed';

/** Which posts (and which versions of them) an edition carries. */
export interface EditionPostRef {
  readonly id: string;
  readonly contentHash: string;
  readonly version: number;
}

/** One send of one or more posts to one list. The id is derived from list, kind and posts (core). */
export interface Edition {
  readonly id: string;
  readonly listId: string;
  readonly kind: EditionKind;
  /** The cadences it goes to: ['instant'] for publish, ['daily'] or ['weekly'] for a digest. */
  readonly cadences: readonly Cadence[];
  readonly posts: readonly EditionPostRef[];
  readonly subject?: string;
  readonly status: EditionStatus;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly completedAt?: string;
  /** Free-form, small, JSON-serializable (e.g. the --resend flag, the trigger). */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

/** Where the planner stands: advanced only after the batch is on the queue. */
export interface PlannerCheckpoint {
  /** The subscriber store's keyset cursor after the last enqueued batch; absent at the start. */
  readonly cursor?: string;
  /** Which cadence (for a digest going to several) the cursor belongs to. */
  readonly cadence?: Cadence;
  /** Batches on the queue so far; the next batch number. */
  readonly batchesEnqueued: number;
  /** Recipients on the queue so far. */
  readonly recipientsEnqueued: number;
  /** True once every page was enqueued. */
  readonly done: boolean;
  readonly updatedAt: string;
}

/** Per-edition progress, added to atomically by every sender. */
export interface EditionCounters {
  readonly planned: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
  /** Counts per reason, e.g. { suppressed: 3, unsubscribed: 1 }. */
  readonly skippedReasons: Readonly<Record<string, number>>;
  readonly failedReasons: Readonly<Record<string, number>>;
}

/** An increment; every field optional. Reason keys: short, stable codes ([a-z0-9-]). */
export interface CounterDelta {
  readonly planned?: number;
  readonly sent?: number;
  readonly failed?: number;
  readonly skipped?: number;
  readonly skippedReasons?: Readonly<Record<string, number>>;
  readonly failedReasons?: Readonly<Record<string, number>>;
}

export interface EditionRecord {
  readonly edition: Edition;
  readonly counters: EditionCounters;
  readonly checkpoint?: PlannerCheckpoint;
}

export interface EditionStore {
  /**
   * Creates the edition unless one with that id exists (conditional write). Returns the stored
   * record and whether this call created it; a second call never overwrites the first.
   */
  createIfAbsent(edition: Edition): Promise<{ readonly created: boolean; readonly record: EditionRecord }>;
  get(id: string): Promise<EditionRecord | undefined>;
  /**
   * Stores the rendered content once per edition (JSON-serializable; gzipped and split into chunks
   * by the DynamoDB adapter, so hundreds of KB are fine). Overwrites a previous save.
   */
  saveRendered(id: string, rendered: unknown): Promise<void>;
  /** The value given to saveRendered, or undefined. The caller knows its type. */
  getRendered<T>(id: string): Promise<T | undefined>;
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
  /** Editions of a list, newest first, by keyset cursor (status listings). */
  pageByList(listId: string, cursor: string | undefined, limit: number): Promise<Page<Edition>>;
}
