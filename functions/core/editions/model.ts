// The edition as the rest of the code sees it: the record the edition store keeps (edition, counters,
// planner checkpoint) and the rendering stored with it once. Types only; the store's port re-exports them.
import type { Cadence } from '../config/schema.ts';
import type { StoredCompiledMessage } from '../mime/stored-message.ts';
import type { RenderedEdition } from '../render/render-edition.ts';

/** `publish`: one post, sent on publish. `digest`: every post new since the list's last digest. */
export type EditionKind = 'publish' | 'digest';

/** Where an edition stands: planning, then sending, then completed (every planned delivery has an outcome). */
export type EditionStatus = 'planning' | 'sending' | 'completed';

/** Which posts (and which versions of them) an edition carries. */
export interface EditionPostRef {
  readonly id: string;
  readonly contentHash: string;
  readonly version: number;
}

/** One send of one or more posts to one list. The id is derived from list, kind and posts (edition-id.ts). */
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
  /**
   * For a list with `deliverAt`: the time-zone waves it goes out in, decided once when it was published
   * (use-cases/plan-waves.ts). Planning then queues nobody; each wave puts its own readers on the queue.
   */
  readonly waves?: readonly EditionWave[];
}

/** One time-zone wave of an edition (its ScheduledSend is `id`). */
export interface EditionWave {
  readonly id: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly readers: number;
  readonly zones: readonly string[];
  /** Its held batches are numbered `firstBatch` … `firstBatch + batches - 1`. */
  readonly firstBatch: number;
  readonly batches: number;
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

/** An edition as stored: the edition, its counters, and the planner's checkpoint once planning started. */
export interface EditionRecord {
  readonly edition: Edition;
  readonly counters: EditionCounters;
  readonly checkpoint?: PlannerCheckpoint;
  /** The ids of its time-zone waves cancelled before their time (`tidings scheduled cancel`), sorted. */
  readonly cancelledWaves?: readonly string[];
}

/**
 * What the plan step stores with an edition, once: its rendering (MJML output, text twin, warnings)
 * and its message compiled for the send step, which loads `compiled` and never runs MJML or the MIME
 * composer itself.
 */
export interface StoredRendering extends RenderedEdition {
  readonly compiled: StoredCompiledMessage;
}
