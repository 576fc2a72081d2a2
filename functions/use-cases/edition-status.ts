import { isEditionComplete } from '../core/editions/progress.ts';
import { NotFoundError } from '../core/errors.ts';
import type {
  Edition,
  EditionCounters,
  EditionRecord,
  EditionStore,
  PlannerCheckpoint,
} from '../ports/edition-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SendingPauseStore } from '../ports/sending-pause-store.ts';

export interface EditionStatusView {
  readonly id: string;
  readonly listId: string;
  readonly kind: Edition['kind'];
  readonly cadences: Edition['cadences'];
  readonly posts: readonly string[];
  readonly subject?: string;
  readonly status: Edition['status'];
  readonly createdAt: string;
  readonly completedAt?: string;
  readonly planningDone: boolean;
  /** When the planner last moved its checkpoint (or the edition was created, before it started). */
  readonly planningUpdatedAt: string;
  /** Recipients on the send queue, per the planner's checkpoint. */
  readonly enqueued: number;
  readonly counters: EditionCounters;
  /** Planned deliveries with no outcome yet. */
  readonly remaining: number;
  readonly complete: boolean;
  /**
   * The time-zone waves of a list with `deliverAt`, soonest first: `pending` until its time, `sending`
   * while it is being released, `sent` once its readers are on the queue (when the store can tell),
   * `cancelled` when it was cancelled before its time (its readers are not in `planned` any more).
   */
  readonly waves?: readonly WaveStatus[];
  /**
   * Nothing of it goes out until a resume: its list paused (bounce or complaint rate, or by hand), or the
   * edition itself (SES refused its sender). `resume` is the command that lifts it.
   */
  readonly paused?: {
    readonly by: 'list' | 'edition';
    readonly reason: string;
    readonly at: string;
    readonly resume: string;
  };
}

/** One wave of an edition, as `status` shows it. */
export interface WaveStatus {
  readonly id: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly readers: number;
  readonly zones: readonly string[];
  readonly state: 'pending' | 'sending' | 'sent' | 'cancelled';
}

/** What the status reads: the editions, and the pauses and waiting waves when the process has them. */
export interface EditionStatusDeps {
  readonly editions: EditionStore;
  readonly pauses?: Pick<SendingPauseStore, 'get' | 'getEdition'>;
  readonly schedules?: Pick<ScheduleStore, 'get'>;
}

/** One edition's progress: counters with reasons, planning, completion. */
export async function editionStatus(deps: EditionStatusDeps, id: string): Promise<EditionStatusView> {
  const record = await deps.editions.get(id);
  if (!record)
    throw new NotFoundError(
      'EDITION_NOT_FOUND',
      `edition ${id}: not found; run tidings status to list editions`,
    );
  const status = await withWaves(deps, record, view(record.edition, record.counters, record.checkpoint));
  if (status.complete || !deps.pauses) return status;
  const [edition, list] = await Promise.all([
    deps.pauses.getEdition(id),
    deps.pauses.get(record.edition.listId),
  ]);
  const paused = edition
    ? {
        by: 'edition' as const,
        reason: edition.reason,
        at: edition.at,
        resume: `tidings editions resume ${id}`,
      }
    : list
      ? {
          by: 'list' as const,
          reason: list.reason,
          at: list.at,
          resume: `tidings lists resume ${list.listId}`,
        }
      : undefined;
  return paused ? { ...status, paused } : status;
}

/** The newest editions of each list (most recent first), for `tidings status` without an id. */
export async function recentEditions(
  deps: EditionStatusDeps,
  listIds: readonly string[],
  perList = 10,
): Promise<EditionStatusView[]> {
  const out: EditionStatusView[] = [];
  for (const listId of listIds) {
    const page = await deps.editions.pageByList(listId, undefined, perList);
    for (const e of page.items) out.push(await editionStatus(deps, e.id));
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

/** A wave whose ScheduledSend is gone has put its readers on the queue, unless it was cancelled. */
async function withWaves(
  deps: EditionStatusDeps,
  record: EditionRecord,
  status: EditionStatusView,
): Promise<EditionStatusView> {
  const { edition } = record;
  if (!edition.waves) return status;
  const cancelled = new Set(record.cancelledWaves);
  const waves: WaveStatus[] = [];
  for (const w of edition.waves) {
    let state: WaveStatus['state'] = status.complete ? 'sent' : 'pending';
    if (cancelled.has(w.id)) state = 'cancelled';
    else if (!status.complete && deps.schedules) {
      const send = await deps.schedules.get(w.id);
      state = send ? (send.state === 'firing' ? 'sending' : 'pending') : 'sent';
    }
    waves.push({ id: w.id, at: w.at, readers: w.readers, zones: w.zones, state });
  }
  return { ...status, waves: waves.sort((a, b) => (a.at < b.at ? -1 : 1)) };
}

function view(
  edition: Edition,
  counters: EditionCounters,
  checkpoint?: PlannerCheckpoint,
): EditionStatusView {
  const planningDone = checkpoint?.done ?? false;
  const done = counters.sent + counters.failed + counters.skipped;
  return {
    id: edition.id,
    listId: edition.listId,
    kind: edition.kind,
    cadences: edition.cadences,
    posts: edition.posts.map((p) => p.id),
    ...(edition.subject !== undefined ? { subject: edition.subject } : {}),
    status: edition.status,
    createdAt: edition.createdAt,
    ...(edition.completedAt !== undefined ? { completedAt: edition.completedAt } : {}),
    planningDone,
    planningUpdatedAt: checkpoint?.updatedAt ?? edition.createdAt,
    enqueued: checkpoint?.recipientsEnqueued ?? 0,
    counters,
    remaining: Math.max(0, counters.planned - done),
    complete: edition.status === 'completed' || isEditionComplete(counters, planningDone),
  };
}
