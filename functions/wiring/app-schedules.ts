// The scheduled sends of the App (publish --at, front matter sendAt, `tidings scheduled`), bound to the
// adapter set's schedule store. Apart from app.ts to keep that file to the use cases' wiring.
import type { Post } from '../core/posts/post.ts';
import type { ScheduledSend, WaveRelease } from '../core/schedule/model.ts';
import type { Clock } from '../ports/clock.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SendTimer } from '../ports/send-timer.ts';
import type { PublishResult } from '../use-cases/publish-post.ts';
import {
  cancelScheduled,
  type FiredSend,
  type FireScheduledOutcome,
  fireDueSends,
  fireScheduledSend,
  listScheduled,
  type ScheduleResult,
  schedulePost,
} from '../use-cases/schedule-send.ts';

/** What the App offers on scheduled sends. */
export interface ScheduleMethods {
  /** Schedules a post at `at` (ISO 8601 with offset), or replaces its waiting send. */
  add(
    post: Post,
    at: string,
    options?: { readonly list?: string; readonly resend?: boolean; readonly where?: string },
  ): Promise<ScheduleResult>;
  list(): Promise<ScheduledSend[]>;
  cancel(id: string): Promise<'cancelled' | 'started'>;
  /** Publishes the sends whose time has come (the local runner each few seconds; the reconcile function). */
  fireDue(): Promise<FiredSend[]>;
  /** Publishes one send its timer woke (`{ fireScheduled: id }`), if it is still waiting and due. */
  fire(id: string): Promise<FireScheduledOutcome>;
}

export function scheduleMethods(deps: {
  readonly schedules: ScheduleStore;
  /** Where a cancelled wave leaves its edition (`cancelScheduled`). */
  readonly editions?: Pick<EditionStore, 'get' | 'cancelWave' | 'markCompleted'>;
  readonly clock: Clock;
  readonly timer?: SendTimer;
  readonly publish: (
    post: Post,
    options: { readonly list?: string; readonly resend?: boolean },
  ) => Promise<PublishResult>;
  readonly releaseWave?: (wave: WaveRelease) => Promise<unknown>;
  readonly isPlanned?: (editionId: string) => Promise<boolean>;
}): ScheduleMethods {
  return {
    add: (post, at, options) => schedulePost(deps, post, at, options),
    list: () => listScheduled(deps),
    cancel: (id) => cancelScheduled(deps, id),
    fireDue: () => fireDueSends(deps),
    fire: (id) => fireScheduledSend(deps, id),
  };
}
