import { NotFoundError } from '../core/errors.ts';
import type { Post } from '../core/posts/post.ts';
import { oneLine } from '../core/posts/text.ts';
import type { ScheduledSend, WaveRelease } from '../core/schedule/model.ts';
import { checkSendAt } from '../core/schedule/send-at.ts';
import type { Clock } from '../ports/clock.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SendTimer } from '../ports/send-timer.ts';
import type { PublishResult } from './publish-post.ts';
import { completeIfDone } from './send-batch/tally.ts';

export interface ScheduleDeps {
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
  /** What wakes a send at its time (a one-time schedule on AWS); none where a timer polls the store. */
  readonly timer?: SendTimer;
}

/**
 * How early a timer may fire a send: the schedule's expression has whole seconds and its clock is not the
 * function's. A send further from its time (its timer moved, a stale schedule) waits for its own.
 */
export const FIRE_EARLY_TOLERANCE_MS = 60_000;

/** What scheduling a post did. */
export interface ScheduleResult {
  readonly id: string;
  readonly at: string;
  /** `replaced`: the post was already waiting (an edit, a new time); `started`: too late, it is going out. */
  readonly outcome: 'created' | 'replaced' | 'started';
}

/**
 * Schedules a post to be published at `at` (ISO 8601 with its offset; `--at` or front matter `sendAt`).
 * The time must be in the future and within a year. Scheduling the same post again before its time
 * replaces the waiting send: the newest version, at the newest time, goes out once. The send is stored
 * first, then its timer set (or moved): a timer that cannot be set leaves the send to the reconcile pass.
 *
 * @throws InvalidInputError SEND_AT_INVALID (one line naming `where`).
 * @throws TidingsError SEND_TIMER_FAILED when the timer could not be set (the send is stored all the same).
 */
export async function schedulePost(
  deps: ScheduleDeps,
  post: Post,
  at: string,
  options: { readonly list?: string; readonly resend?: boolean; readonly where?: string } = {},
): Promise<ScheduleResult> {
  const now = deps.clock.now();
  const when = checkSendAt(at, now, options.where ?? '--at');
  const outcome = await deps.schedules.put({
    id: post.id,
    post,
    at: when,
    scheduledAt: now.toISOString(),
    ...(options.list ? { list: options.list } : {}),
    ...(options.resend ? { resend: true } : {}),
  });
  // A send already going out keeps what it has; any other gets its timer at the (new) time.
  if (outcome !== 'started') await deps.timer?.set(post.id, when);
  return { id: post.id, at: when, outcome };
}

/**
 * One due send, and what publishing it did (or, for a time-zone wave, how many readers it put on the
 * queue, or handed to the plan function to), or why it failed, to be retried on the next run.
 */
export type FiredSend =
  | { readonly id: string; readonly at: string; readonly result: PublishResult }
  | {
      readonly id: string;
      readonly at: string;
      readonly wave: { readonly editionId: string; readonly readers: number };
    }
  | { readonly id: string; readonly at: string; readonly error: string };

type PublishFn = (
  post: Post,
  options: { readonly list?: string; readonly resend?: boolean },
) => Promise<PublishResult>;

/** What fires sends: publishing a post, or releasing a wave's held readers. */
interface FireDeps extends ScheduleDeps {
  readonly publish: PublishFn;
  /** Puts a wave's readers on the send queue (or hands them to the plan function that does). */
  readonly releaseWave?: (wave: WaveRelease) => Promise<unknown>;
  /**
   * Whether an edition's planning is done (its rendering stored): a wave due at once can wake before its
   * edition is rendered, and waits for it rather than queue readers the senders cannot send yet.
   */
  readonly isPlanned?: (editionId: string) => Promise<boolean>;
}

/**
 * Publishes every send whose time has come (the reconcile pass, `tidings dev`'s timer). Each goes through
 * fireOne, as a send woken by its own timer does (fireScheduledSend).
 */
export async function fireDueSends(deps: FireDeps): Promise<FiredSend[]> {
  const now = deps.clock.now().toISOString();
  const fired: FiredSend[] = [];
  for (const due of (await deps.schedules.list()).filter((s) => s.at <= now)) {
    const one = await fireOne(deps, due.id);
    if (one) fired.push(one);
  }
  return fired;
}

/** What waking one send did: published (or failed, retried by the reconcile pass), or nothing to do. */
export type FireScheduledOutcome = FiredSend | { readonly id: string; readonly skipped: 'gone' | 'not-due' };

/**
 * Publishes send `id` when its timer fires (`{ fireScheduled: id }` from its one-time schedule). A send
 * cancelled, already sent, or rescheduled later is left alone; a timer that fires twice sends once.
 */
export async function fireScheduledSend(deps: FireDeps, id: string): Promise<FireScheduledOutcome> {
  const send = await deps.schedules.get(id);
  if (!send) return { id, skipped: 'gone' };
  if (Date.parse(send.at) > deps.clock.now().getTime() + FIRE_EARLY_TOLERANCE_MS) {
    return { id, skipped: 'not-due' };
  }
  return (await fireOne(deps, id)) ?? { id, skipped: 'gone' };
}

/**
 * Marks the send `firing` (a cancel can no longer stop it), publishes it, then removes it. Exactly once:
 * publishing is idempotent (the same post and version find the same editions, and each delivery is claimed
 * once in the ledger), so a send fired twice — its timer and the reconcile pass, or a timer run twice — or
 * retried after a crash between publishing and removing, sends nothing twice. `undefined` when it was cancelled or is done.
 */
async function fireOne(deps: FireDeps, id: string): Promise<FiredSend | undefined> {
  const send = await deps.schedules.start(id);
  if (!send) return undefined;
  try {
    if (send.wave) {
      // A wave of an edition already planned: its readers, decided at planning, go on the queue. Released
      // twice (a crash before `done`, two timers) they are claimed once each in the ledger.
      if (!deps.releaseWave) throw new Error('this process cannot release time-zone waves');
      if (deps.isPlanned && !(await deps.isPlanned(send.wave.editionId))) {
        // Left `firing`: the next look for due sends (or the timer's retry) tries again.
        throw new Error(`edition ${send.wave.editionId} is not planned yet; the wave waits for it`);
      }
      await deps.releaseWave({ id: send.id, ...send.wave });
      await deps.schedules.done(send.id);
      return {
        id: send.id,
        at: send.at,
        wave: { editionId: send.wave.editionId, readers: send.wave.readers },
      };
    }
    const result = await deps.publish(send.post, {
      ...(send.list ? { list: send.list } : {}),
      ...(send.resend ? { resend: true } : {}),
    });
    await deps.schedules.done(send.id);
    return { id: send.id, at: send.at, result };
  } catch (error) {
    return { id: send.id, at: send.at, error: oneLine((error as Error).message) };
  }
}

/** Every waiting send, soonest first. */
export function listScheduled(deps: Pick<ScheduleDeps, 'schedules'>): Promise<ScheduledSend[]> {
  return deps.schedules.list();
}

/**
 * Cancels a waiting send. One that already started goes out: 'started'. A cancelled time-zone wave leaves
 * its edition: its readers are taken out of the edition's planned count and the wave is recorded as
 * cancelled (`status` shows it so), and the edition completes if its other waves are all sent. Without
 * `editions` (a process that has no edition store) only the send is removed.
 *
 * @throws NotFoundError SCHEDULED_SEND_NOT_FOUND when nothing is scheduled under `id`.
 */
export async function cancelScheduled(
  deps: Pick<ScheduleDeps, 'schedules' | 'timer' | 'clock'> & {
    readonly editions?: Pick<EditionStore, 'get' | 'cancelWave' | 'markCompleted'>;
  },
  id: string,
): Promise<'cancelled' | 'started'> {
  const wave = deps.editions ? (await deps.schedules.get(id))?.wave : undefined;
  const outcome = await deps.schedules.cancel(id);
  if (outcome === 'cancelled' && wave && deps.editions) {
    // After the send is gone, never before: a wave that started is sent, and only a wave that can no longer
    // fire leaves the count. The record is conditional, so two cancels of one wave take it out once. (A
    // process that stops between the two writes leaves the edition incomplete, as every cancel did before.)
    await deps.editions.cancelWave(wave.editionId, id, wave.readers);
    await completeIfDone({ editions: deps.editions, clock: deps.clock }, wave.editionId);
  }
  // Best effort: a timer left behind fires once, finds nothing to send (fireScheduledSend: 'gone'), and
  // Scheduler deletes it after that run. A send already going out keeps its timer, which finds it done.
  if (outcome === 'cancelled') await deps.timer?.clear(id).catch(() => undefined);
  if (outcome === 'not-found') {
    throw new NotFoundError(
      'SCHEDULED_SEND_NOT_FOUND',
      `no send is scheduled for "${id}"; \`tidings scheduled\` lists the waiting ones`,
    );
  }
  return outcome;
}
