import { NotFoundError } from '../core/errors.ts';
import type { Post } from '../core/posts/post.ts';
import { oneLine } from '../core/posts/text.ts';
import type { ScheduledSend } from '../core/schedule/model.ts';
import { checkSendAt } from '../core/schedule/send-at.ts';
import type { Clock } from '../ports/clock.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { PublishResult } from './publish-post.ts';

export interface ScheduleDeps {
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
}

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
 * replaces the waiting send: the newest version, at the newest time, goes out once.
 *
 * @throws InvalidInputError SEND_AT_INVALID (one line naming `where`).
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
  return { id: post.id, at: when, outcome };
}

/** One due send, and what publishing it did (or why it failed, to be retried on the next run). */
export type FiredSend =
  | { readonly id: string; readonly at: string; readonly result: PublishResult }
  | { readonly id: string; readonly at: string; readonly error: string };

/**
 * Publishes every send whose time has come. Each is marked `firing` first (a cancel can no longer stop
 * it), then published, then removed. Exactly once: publishing is idempotent (the same post and version
 * find the same editions), so a send fired twice, or retried after a crash between publishing and
 * removing, sends nothing twice.
 */
export async function fireDueSends(
  deps: ScheduleDeps & {
    readonly publish: (
      post: Post,
      options: { readonly list?: string; readonly resend?: boolean },
    ) => Promise<PublishResult>;
  },
): Promise<FiredSend[]> {
  const now = deps.clock.now().toISOString();
  const fired: FiredSend[] = [];
  for (const due of (await deps.schedules.list()).filter((s) => s.at <= now)) {
    const send = await deps.schedules.start(due.id);
    if (!send) continue;
    try {
      const result = await deps.publish(send.post, {
        ...(send.list ? { list: send.list } : {}),
        ...(send.resend ? { resend: true } : {}),
      });
      await deps.schedules.done(send.id);
      fired.push({ id: send.id, at: send.at, result });
    } catch (error) {
      fired.push({ id: send.id, at: send.at, error: oneLine((error as Error).message) });
    }
  }
  return fired;
}

/** Every waiting send, soonest first. */
export function listScheduled(deps: Pick<ScheduleDeps, 'schedules'>): Promise<ScheduledSend[]> {
  return deps.schedules.list();
}

/**
 * Cancels a waiting send. One that already started goes out: 'started'.
 *
 * @throws NotFoundError SCHEDULED_SEND_NOT_FOUND when nothing is scheduled under `id`.
 */
export async function cancelScheduled(
  deps: Pick<ScheduleDeps, 'schedules'>,
  id: string,
): Promise<'cancelled' | 'started'> {
  const outcome = await deps.schedules.cancel(id);
  if (outcome === 'not-found') {
    throw new NotFoundError(
      'SCHEDULED_SEND_NOT_FOUND',
      `no send is scheduled for "${id}"; \`tidings scheduled\` lists the waiting ones`,
    );
  }
  return outcome;
}
