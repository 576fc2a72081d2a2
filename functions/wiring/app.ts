import { randomBytes } from 'node:crypto';
import type { DigestPageInput } from '../core/archive/pages.ts';
import type { Config } from '../core/config/schema.ts';
import { DELIVERY_TAG_NAMES } from '../core/editions/edition-id.ts';
import type { ErrorCode } from '../core/error-codes.ts';
import { TidingsError } from '../core/errors.ts';
import type { SesEvent } from '../core/feedback/ses-event.ts';
import { SlotQueue } from '../core/pacing/pacer.ts';
import { effectiveRate, RateLimiter } from '../core/pacing/rate-limiter.ts';
import type { WaveRelease } from '../core/schedule/model.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { RouteTable } from '../http/types.ts';
import { systemClock } from '../ports/clock.ts';
import type { SendBatchMessage } from '../ports/send-queue.ts';
import { noSendTimer } from '../ports/send-timer.ts';
import { cachedPrepare } from '../use-cases/edition-message/prepare.ts';
import { type EditionStatusView, editionStatus, recentEditions } from '../use-cases/edition-status.ts';
import type { importSubscribers } from '../use-cases/import-subscribers.ts';
import type {
  addSubscriber,
  exportMembers,
  listMembers,
  listSuppressions,
  ManageSubscribersDeps,
  removeSubscriber,
} from '../use-cases/manage-subscribers.ts';
import { type PlanResult, planEdition, type RenderFn } from '../use-cases/plan-edition.ts';
import { assignWaves, releaseWave } from '../use-cases/plan-waves.ts';
import type { PollFeedDeps, pollFeed, resumeFeed } from '../use-cases/poll-feeds.ts';
import type { publishMarkdown } from '../use-cases/publish-markdown.ts';
import { dryRunPublish, publishPost } from '../use-cases/publish-post.ts';
import { reconcileClaims } from '../use-cases/reconcile-claims.ts';
import { recordFeedback } from '../use-cases/record-feedback.ts';
import { resumeStalledPlanning } from '../use-cases/resume-planning.ts';
import { runDigest } from '../use-cases/run-digest.ts';
import { type SendBatchDeps, type SendBatchOptions, sendBatch } from '../use-cases/send-batch.ts';
import { currentSendQuota } from '../use-cases/send-quota.ts';
import { pauseList, resumeEdition, resumeList } from '../use-cases/sending-pauses.ts';
import type { testSend } from '../use-cases/test-send.ts';
import type { Adapters } from './adapters.ts';
import type { AppOptions, JourneyOptions } from './app-options.ts';
import { type ScheduleMethods, scheduleMethods } from './app-schedules.ts';
import type { UseCases } from './use-cases.ts';

export type { AppOptions, JourneyOptions } from './app-options.ts';

/** A use case with its dependencies bound: the arguments after `deps`. */
type Bound<F> = F extends (deps: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * The application: every use case, bound to one adapter set. Handlers, CLI commands, the local runner and
 * the integration tests call these; none of them sees a store, a client or a table name.
 */
export interface App {
  readonly config: Config;
  publish: Bound<typeof publishPost>;
  /** Parses a Markdown post (front matter errors name the file and field) and publishes it. */
  publishMarkdown(input: Parameters<typeof publishMarkdown>[1]): ReturnType<typeof publishMarkdown>;
  /** Publishes the Markdown file at `key` in the posts bucket. */
  publishObject(bucket: string, key: string): ReturnType<typeof publishMarkdown>;
  /** Publishing without writing, queueing or sending anything: who would get what (`publish --dry-run`). */
  dryRunPublish: Bound<typeof dryRunPublish>;
  /** One message of a post's edition to one address, outside the ledger (`publish --to`). */
  testSend: Bound<typeof testSend>;
  digest: Bound<typeof runDigest>;
  plan(editionId: string): Promise<PlanResult>;
  /** Puts a time-zone wave's held readers on the send queue (the plan function's `{ editionId, wave }`). */
  releaseWave(wave: WaveRelease): Promise<number>;
  sendBatch: Bound<typeof sendBatch>;
  reconcile: Bound<typeof reconcileClaims>;
  status: Bound<typeof editionStatus>;
  recent(perList?: number): Promise<EditionStatusView[]>;
  /**
   * Starts the planning of these editions again where it stalled (resume-planning.ts): through the plan
   * function when one is wired (`planTrigger`), else in this process.
   */
  resumeStalledPlanning(
    editions: readonly EditionStatusView[],
    options?: { readonly stallMs?: number },
  ): Promise<string[]>;
  /**
   * Lowers the pace to this sender's share of SES's MaxSendRate (GetSendQuota, read through the table at
   * most once a minute: use-cases/send-quota.ts) when that is below the configured rate. `senders`: how
   * many senders share the account's rate (the queue's max concurrency). Never throws: with no quota known
   * the pace stays as it is.
   */
  applySendQuota(senders?: number): Promise<number>;
  /** The pace this process sends at now (messages/s). */
  sendRate(): number;
  pollFeed: Bound<typeof pollFeed>;
  resumeFeed: Bound<typeof resumeFeed>;
  feedState(feedId: string): ReturnType<Adapters['feedStates']['get']>;
  recordFeedback(events: readonly SesEvent[]): ReturnType<typeof recordFeedback>;
  /** `tidings lists pause|resume`, `tidings editions resume` (use-cases/sending-pauses.ts). */
  readonly pauses: {
    pauseList: Bound<typeof pauseList>;
    resumeList: Bound<typeof resumeList>;
    resumeEdition: Bound<typeof resumeEdition>;
  };
  readonly subscribers: {
    add: Bound<typeof addSubscriber>;
    remove: Bound<typeof removeSubscriber>;
    list: Bound<typeof listMembers>;
    export: Bound<typeof exportMembers>;
    suppressions: Bound<typeof listSuppressions>;
    import: Bound<typeof importSubscribers>;
  };
  /** Sends waiting for their time. */
  readonly scheduled: ScheduleMethods;
  /** The subscriber pages' route table. */
  routes(options: JourneyOptions): RouteTable;
  /** Closes the adapters' sockets. */
  destroy(): void;
}

/** The web archive's URL on a host of the subscriber pages. */
function archiveBase(publicUrl: string | undefined): string {
  return `${(publicUrl ?? '').replace(/\/+$/, '')}/archive`;
}

function missing(code: ErrorCode, message: string): never {
  throw new TidingsError(code, message);
}

/** A heavy use case this process was handed, or one line saying it was not. */
function useCase<K extends keyof UseCases>(options: AppOptions, name: K): UseCases[K] {
  return (
    options.useCases?.[name] ??
    missing(
      'USE_CASE_UNAVAILABLE',
      `this process does not run ${name}; it runs in another function or the CLI`,
    )
  );
}

/** Builds the application on one adapter set. Only the modules of functions/wiring/ call this. */
export function buildApp(adapters: Adapters, options: AppOptions): App {
  const { config, keyRing } = options;
  const clock = options.clock ?? systemClock;
  const pacer = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  let limiter = new RateLimiter({ ratePerSecond: options.sendRate ?? config.sending.maxRate });
  let slots = new SlotQueue(limiter, pacer);
  const requireKeys = (): KeyRing =>
    keyRing ?? missing('SIGNING_KEY_MISSING', 'this process has no signing keys, so it cannot sign links');

  const sendDeps: SendBatchDeps = {
    config,
    editions: adapters.editions,
    ledger: adapters.ledger,
    subscribers: adapters.subscribers,
    suppressions: adapters.suppressions,
    transport: adapters.transport,
    queue: adapters.queue,
    pauses: adapters.pauses,
    clock,
    get limiter() {
      return limiter;
    },
    get slots() {
      return slots;
    },
    pacer,
    random: Math.random,
    prepare: keyRing
      ? cachedPrepare({ config, keyRing, editions: adapters.editions })
      : async () =>
          missing(
            'SIGNING_KEY_MISSING',
            'this process has no signing keys, so it cannot build messages; send from the send function',
          ),
    concurrency: options.sendConcurrency ?? 8,
  };
  const sendDepsFor = (editionId: string): SendBatchDeps =>
    options.onSendOutcome
      ? { ...sendDeps, limiter, slots, onOutcome: (o) => options.onSendOutcome?.(editionId, o) }
      : sendDeps;

  const render: RenderFn =
    options.render ??
    (async () =>
      missing(
        'RENDER_UNAVAILABLE',
        'this process cannot render editions (no renderer wired); plan in the plan function or the CLI',
      ));
  const plan = (editionId: string, renderWith: RenderFn = render) =>
    planEdition(
      {
        config,
        editions: adapters.editions,
        posts: adapters.posts,
        subscribers: adapters.subscribers,
        suppressions: adapters.suppressions,
        queue: adapters.queue,
        clock,
        render: renderWith,
        ...(options.planPageSize ? { pageSize: options.planPageSize } : {}),
        ...(options.onPlanProgress ? { onProgress: options.onPlanProgress } : {}),
      },
      editionId,
    );
  const { planTrigger } = options;
  const startPlan = planTrigger ? async (id: string) => void (await planTrigger.start(id)) : plan;
  // No timer outside AWS: `tidings dev` looks for due sends every few seconds (local/dev-timers.ts).
  const timer = options.sendTimer ?? noSendTimer;
  const publishDeps = {
    config,
    posts: adapters.posts,
    editions: adapters.editions,
    clock,
    assignWaves: (input: Parameters<typeof assignWaves>[1]) =>
      assignWaves({ subscribers: adapters.subscribers, schedules: adapters.schedules, clock, timer }, input),
  };
  const release = (wave: WaveRelease) =>
    releaseWave({ schedules: adapters.schedules, queue: adapters.queue }, wave);
  const archive = options.archive;
  const publish: App['publish'] = async (post, opts = {}) => {
    const result = await publishPost({ ...publishDeps, plan: startPlan }, post, opts);
    // The archive follows what was published; a draft is never public. A failed write throws, and
    // publishing again (what a retried S3 event does) sends nothing twice and writes the archive again.
    if (archive && !post.draft && post.archive !== false) {
      await useCase(options, 'refreshArchive')(
        { config, posts: adapters.posts, archive: archive.objects, templates: archive.templates },
        [post.id],
      );
    }
    return result;
  };
  const pollDeps: PollFeedDeps = {
    config,
    feedStates: adapters.feedStates,
    seen: adapters.cursors,
    fetchFeed:
      options.fetchFeed ??
      (async () => missing('FETCH_UNAVAILABLE', 'this process cannot fetch feeds (no fetcher wired)')),
    publish: (post) => publish(post),
    clock,
    ...(options.maxFeedFailures ? { maxFailures: options.maxFeedFailures } : {}),
  };
  const manage: ManageSubscribersDeps = {
    subscribers: adapters.subscribers,
    suppressions: adapters.suppressions,
    clock,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    ...(options.audit ? { audit: options.audit } : {}),
  };

  const scheduled = scheduleMethods({
    schedules: adapters.schedules,
    editions: adapters.editions,
    clock,
    publish,
    timer,
    // A wave goes through the plan function where there is one (it holds the send queue), as planning does.
    releaseWave: planTrigger ? (wave) => planTrigger.start(wave.editionId, { wave }) : release,
    isPlanned: async (editionId) => (await adapters.editions.get(editionId))?.checkpoint?.done === true,
  });
  const pauseDeps = { config, pauses: adapters.pauses, clock };
  const markdown: App['publishMarkdown'] = (input) =>
    useCase(options, 'publishMarkdown')({ config, publish, schedule: scheduled.add }, input);

  return {
    config,
    publish,
    scheduled,
    publishMarkdown: markdown,
    async publishObject(bucket, key) {
      const objects =
        options.postObjects ?? missing('OBJECTS_UNAVAILABLE', 'this process cannot read the posts bucket');
      return markdown({ markdown: await objects.readText(bucket, key), path: key });
    },
    dryRunPublish: (post, opts) =>
      dryRunPublish(
        { ...publishDeps, subscribers: adapters.subscribers, suppressions: adapters.suppressions, render },
        post,
        opts,
      ),
    testSend: (post, opts) =>
      useCase(options, 'testSend')(
        { config, keyRing: requireKeys(), clock, transport: adapters.transport, render },
        post,
        opts,
      ),
    digest: (listId, cadence) =>
      runDigest(
        {
          config,
          posts: adapters.posts,
          editions: adapters.editions,
          cursors: adapters.cursors,
          clock,
          // With an archive, the digest writes its page and its email links there; without one, the
          // email links to the archive's index, which is there whoever wrote it.
          ...(archive
            ? {
                plan: (id: string) => plan(id),
                writePage: (page: DigestPageInput) =>
                  useCase(options, 'writeDigestPage')(
                    { config, archive: archive.objects, templates: archive.templates },
                    page,
                  ),
              }
            : {
                plan: (id: string) =>
                  plan(id, (input) => render({ ...input, webUrl: `${archiveBase(input.publicUrl)}/` })),
              }),
        },
        listId,
        cadence,
      ),
    plan: (editionId) => plan(editionId),
    releaseWave: release,
    sendBatch: (message: SendBatchMessage, opts?: SendBatchOptions) =>
      sendBatch(sendDepsFor(message.editionId), message, opts),
    reconcile: (editionId, opts = {}) => reconcileClaims(sendDepsFor(editionId), editionId, opts),
    status: (editionId) =>
      editionStatus(
        { editions: adapters.editions, pauses: adapters.pauses, schedules: adapters.schedules },
        editionId,
      ),
    recent: (perList) =>
      recentEditions(
        { editions: adapters.editions, schedules: adapters.schedules },
        config.lists.map((l) => l.id),
        perList,
      ),
    resumeStalledPlanning: (editions, opts = {}) =>
      resumeStalledPlanning({ clock, startPlan }, editions, opts),
    async applySendQuota(senders = 1) {
      // Through the table, at most one GetSendQuota a minute; unknown (a failed read): the pace stays.
      const quota = await currentSendQuota({
        quotas: adapters.sendQuota,
        transport: adapters.transport,
        clock,
        ...(options.onQuotaError ? { onError: options.onQuotaError } : {}),
      });
      if (!quota) return limiter.ratePerSecond;
      const rate = effectiveRate(
        options.sendRate ?? config.sending.maxRate,
        quota.maxSendRate / Math.max(1, Math.floor(senders)),
      );
      if (rate !== limiter.ratePerSecond) {
        limiter = new RateLimiter({ ratePerSecond: rate });
        slots = new SlotQueue(limiter, pacer);
      }
      return rate;
    },
    sendRate: () => limiter.ratePerSecond,
    pollFeed: (feedId) => useCase(options, 'pollFeed')(pollDeps, feedId),
    resumeFeed: (feedId) => useCase(options, 'resumeFeed')(pollDeps, feedId),
    feedState: (feedId) => adapters.feedStates.get(feedId),
    recordFeedback: (events) =>
      recordFeedback(
        {
          config,
          clock,
          ledger: adapters.ledger,
          suppressions: adapters.suppressions,
          subscribers: adapters.subscribers,
          feedback: adapters.feedback,
          pauses: adapters.pauses,
          tagNames: DELIVERY_TAG_NAMES,
        },
        events,
      ),
    pauses: {
      pauseList: (listId) => pauseList(pauseDeps, listId),
      resumeList: (listId) => resumeList(pauseDeps, listId),
      resumeEdition: (editionId) => resumeEdition(pauseDeps, editionId),
    },
    subscribers: {
      add: (input) => useCase(options, 'addSubscriber')(manage, input),
      remove: (input) => useCase(options, 'removeSubscriber')(manage, input),
      list: (input) => useCase(options, 'listMembers')(manage, input),
      export: (input) => useCase(options, 'exportMembers')(manage, input),
      suppressions: () => useCase(options, 'listSuppressions')(manage),
      import: (input) => useCase(options, 'importSubscribers')(manage, input),
    },
    routes: (journey) =>
      useCase(
        options,
        'createRouteTable',
      )({
        config,
        keys: requireKeys(),
        clock,
        subscribers: adapters.subscribers,
        suppressions: adapters.suppressions,
        mail: adapters.transport,
        templates: journey.templates,
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
        rateLimits: adapters.rateLimits,
        ...(journey.limits ? { limits: journey.limits } : {}),
        ...(journey.log ? { log: journey.log } : {}),
        ...(journey.later ? { later: journey.later } : {}),
        ...(journey.handOff ? { handOff: journey.handOff } : {}),
      }),
    destroy: () => adapters.destroy(),
  };
}
