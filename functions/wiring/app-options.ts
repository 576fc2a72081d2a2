// The options of buildApp (app.ts): how the application behaves, whatever adapter set it runs on.
import type { ArchiveTemplates } from '../core/archive/pages.ts';
import type { Config } from '../core/config/schema.ts';
import type { JourneyTask } from '../core/subscribers/journey-task.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { HttpRateLimits } from '../http/rate-limits.ts';
import type { HttpLog } from '../http/routes.ts';
import type { ArchiveObjects } from '../ports/archive-objects.ts';
import type { Clock } from '../ports/clock.ts';
import type { PlanTrigger } from '../ports/plan-trigger.ts';
import type { PostObjects } from '../ports/post-objects.ts';
import type { SendTimer } from '../ports/send-timer.ts';
import type { JourneyTemplates } from '../use-cases/journey-deps.ts';
import type { ManageSubscribersDeps } from '../use-cases/manage-subscribers.ts';
import type { RenderFn } from '../use-cases/plan-edition.ts';
import type { PollFeedDeps } from '../use-cases/poll-feeds.ts';
import type { RecipientOutcome } from '../use-cases/send-batch.ts';
import type { UseCases } from './use-cases.ts';

/** How the application behaves, whatever adapter set it runs on. */
export interface AppOptions {
  readonly config: Config;
  /** The token signing keys; needed only by processes that build links (send, http, test sends). */
  readonly keyRing?: KeyRing;
  readonly clock?: Clock;
  /** Renders an edition; needed only by processes that plan. */
  readonly render?: RenderFn;
  /**
   * Where publishing hands an edition for planning (the plan function, on AWS). Absent: publish plans in
   * this process. Digests always plan here: their cursor moves only once the plan is finished.
   */
  readonly planTrigger?: PlanTrigger;
  /**
   * This sender's share of the send rate (messages/s). @default config.sending.maxRate — on AWS the
   * stack divides it by the send queue's maximum concurrency.
   */
  readonly sendRate?: number;
  /** SendRawEmail calls in flight per batch. @default 8 */
  readonly sendConcurrency?: number;
  /** Subscribers per planner page. @default 500 */
  readonly planPageSize?: number;
  /** Fetches a feed (timeout and size cap); needed only by processes that poll feeds. */
  readonly fetchFeed?: PollFeedDeps['fetchFeed'];
  /**
   * The heavy use cases this process runs (use-cases.ts): the CLI and local stack take them all; each
   * Lambda function only its own, so its bundle carries nothing else.
   */
  readonly useCases?: Partial<UseCases>;
  /**
   * Where the web archive goes, and its templates: publish then refreshes the archive after each post (the
   * use case `refreshArchive` must be in `useCases`). Without it, publishing leaves the archive alone.
   */
  readonly archive?: {
    readonly objects: ArchiveObjects;
    readonly templates: () => Promise<ArchiveTemplates>;
  };
  /**
   * What wakes a scheduled send at its time: the one-time Scheduler schedules on AWS (the publish function,
   * `--stack`). Absent: nothing is set, and whatever polls the store fires due sends (`tidings dev`).
   */
  readonly sendTimer?: SendTimer;
  /** The posts bucket; needed only by the publish function (an S3 put publishes). */
  readonly postObjects?: PostObjects;
  /** A failed read of the SES quota (table or GetSendQuota): logged; sending goes on at the known pace. */
  readonly onQuotaError?: (error: unknown) => void;
  /** Failed polls in a row before a feed pauses. @default DEFAULT_MAX_FAILURES */
  readonly maxFeedFailures?: number;
  /** Where operator actions on subscribers are recorded (the CLI: one JSON line each on stderr). */
  readonly audit?: ManageSubscribersDeps['audit'];
  readonly onSendOutcome?: (editionId: string, outcome: RecipientOutcome) => void;
  readonly onPlanProgress?: (p: {
    readonly editionId: string;
    readonly enqueued: number;
    readonly batches: number;
  }) => void;
}

/** The subscriber pages' own settings (the http function, `tidings dev`). */
export interface JourneyOptions {
  readonly templates: JourneyTemplates;
  readonly limits?: HttpRateLimits;
  readonly log?: HttpLog;
  /** Work after the answer (HttpDeps.later), for a long-lived server; absent on Lambda. */
  readonly later?: (task: () => Promise<void>) => void;
  /** The same work handed to another invocation (HttpDeps.handOff): the http function on Lambda. */
  readonly handOff?: (task: JourneyTask, seal: string) => Promise<void>;
}
