// The one composition root: every adapter and use case is built here, from one options object.
// Lambda handlers, the CLI, the local runner, the demo and the tests all call `wire()`.
//
// The renderer (MJML) is NOT imported here: it is passed in as `render` by the processes that plan
// (plan/publish/digest handlers, the CLI), so the send bundle stays free of mjml.
import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadBundledConfig } from './adapters/aws/bundled-config.ts';
import { type AwsClients, type ClientOptions, makeClients } from './adapters/aws/clients.ts';
import { DynamoDeliveryLedger } from './adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoEditionStore } from './adapters/aws/dynamo-edition-store.ts';
import { DynamoFeedStateStore } from './adapters/aws/dynamo-feed-state.ts';
import { DynamoFeedbackStore } from './adapters/aws/dynamo-feedback-store.ts';
import { DynamoListCursorStore } from './adapters/aws/dynamo-list-cursor-store.ts';
import { DynamoPostStore } from './adapters/aws/dynamo-post-store.ts';
import { DynamoRateLimitStore } from './adapters/aws/dynamo-rate-limit-store.ts';
import { DynamoSendingPauseStore } from './adapters/aws/dynamo-sending-pause-store.ts';
import { DynamoSubscriberStore } from './adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from './adapters/aws/dynamo-suppression-store.ts';
import { LambdaEnv, requireEnv } from './adapters/aws/lambda-env.ts';
import { cachedSecretKeyRing } from './adapters/aws/secrets-keyring.ts';
import { SesQueryTransport } from './adapters/aws/ses-query-transport.ts';
import { SqsSendQueue } from './adapters/aws/sqs-send-queue.ts';
import { fetchDocument } from './adapters/local/feed-fetch.ts';
import type { Config } from './core/config/schema.ts';
import { DELIVERY_TAG_NAMES } from './core/editions/edition-id.ts';
import { TidingsError } from './core/errors.ts';
import { SlotQueue } from './core/pacing/pacer.ts';
import { effectiveRate, RateLimiter } from './core/pacing/rate-limiter.ts';
import type { Post } from './core/posts/post.ts';
import type { KeyRing } from './core/tokens/tokens.ts';
import type { HttpRateLimits } from './http/rate-limits.ts';
import type { HttpDeps, HttpLog } from './http/routes.ts';
import { type Clock, systemClock } from './ports/clock.ts';
import type { DeliveryLedger } from './ports/delivery-ledger.ts';
import type { EditionStore } from './ports/edition-store.ts';
import type { ListCursorStore } from './ports/list-cursor-store.ts';
import type { MailTransport } from './ports/mail-transport.ts';
import type { PlanTrigger } from './ports/plan-trigger.ts';
import type { PostStore } from './ports/post-store.ts';
import type { SendBatchMessage, SendQueue } from './ports/send-queue.ts';
import type { SubscriberStore } from './ports/subscriber-store.ts';
import type { SuppressionStore } from './ports/suppression-store.ts';
import { cachedPrepare } from './use-cases/edition-message/prepare.ts';
import { type EditionStatusView, editionStatus, recentEditions } from './use-cases/edition-status.ts';
import type { JourneyTemplates } from './use-cases/journey-deps.ts';
import { type PlanResult, planEdition, type RenderFn } from './use-cases/plan-edition.ts';
import type { PollFeedDeps } from './use-cases/poll-feeds.ts';
import { publishPost } from './use-cases/publish-post.ts';
import { reconcileClaims } from './use-cases/reconcile-claims.ts';
import type { RecordFeedbackDeps } from './use-cases/record-feedback.ts';
import { resumeStalledPlanning } from './use-cases/resume-planning.ts';
import { runDigest } from './use-cases/run-digest.ts';
import {
  type RecipientOutcome,
  type SendBatchDeps,
  type SendBatchOptions,
  sendBatch,
} from './use-cases/send-batch.ts';

export interface WiringOptions {
  readonly config: Config;
  /** The token signing keys; needed only by processes that build links (send, http). */
  readonly keyRing?: KeyRing;
  readonly clock?: Clock;
  readonly tableName: string;
  readonly sendQueueUrl: string;
  /** SDK clients to use; built from `aws` when absent. */
  readonly clients?: AwsClients;
  /** Region, local endpoints (the emulators) and emulator credentials. */
  readonly aws?: ClientOptions;
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
  /** Wraps the SES transport (the local Send-event emulation, fault injection in tests). */
  readonly decorateTransport?: (transport: MailTransport, stores: Stores) => MailTransport;
  /** SendRawEmail calls in flight per batch. @default 8 */
  readonly sendConcurrency?: number;
  /** Subscribers per planner page. @default 500 */
  readonly planPageSize?: number;
  readonly onSendOutcome?: (editionId: string, outcome: RecipientOutcome) => void;
  readonly onPlanProgress?: (p: {
    readonly editionId: string;
    readonly enqueued: number;
    readonly batches: number;
  }) => void;
}

export interface Stores {
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly editions: EditionStore;
  readonly ledger: DeliveryLedger;
  readonly posts: PostStore;
  readonly cursors: ListCursorStore;
}

export interface App {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly stores: Stores;
  readonly queue: SendQueue;
  readonly transport: MailTransport;
  readonly keyRing?: KeyRing;
  readonly clock: Clock;
  /** Shared by every batch this process sends. */
  readonly limiter: RateLimiter;
  publish(
    post: Post,
    options?: { readonly list?: string; readonly resend?: boolean },
  ): ReturnType<typeof publishPost>;
  digest(listId: string, cadence: 'daily' | 'weekly'): ReturnType<typeof runDigest>;
  plan(editionId: string): Promise<PlanResult>;
  sendBatch(message: SendBatchMessage, options?: SendBatchOptions): ReturnType<typeof sendBatch>;
  reconcile(
    editionId: string,
    options?: { readonly windowMs?: number; readonly settleMs?: number },
  ): ReturnType<typeof reconcileClaims>;
  status(editionId: string): ReturnType<typeof editionStatus>;
  recent(perList?: number): ReturnType<typeof recentEditions>;
  /**
   * Starts the planning of these editions again where it stalled (resume-planning.ts): through the plan
   * function when one is wired (`planTrigger`), else in this process.
   */
  resumeStalledPlanning(
    editions: readonly EditionStatusView[],
    options?: { readonly stallMs?: number },
  ): Promise<string[]>;
  /**
   * Lowers the pace to this sender's share of SES's MaxSendRate (GetSendQuota) when that is below the
   * configured rate. `senders`: how many senders share the account's rate (the queue's max concurrency).
   */
  applySendQuota(senders?: number): Promise<number>;
  /** The dependencies of the send path (for the reconciler and tests). */
  readonly sendDeps: SendBatchDeps;
  /** Closes the SDK clients' sockets (only those built here). */
  destroy(): void;
}

/** Builds the whole application from one options object. */
export function wire(options: WiringOptions): App {
  const { config, keyRing } = options;
  const clock = options.clock ?? systemClock;
  const ownClients = !options.clients;
  const clients =
    options.clients ?? makeClients(options.aws ?? { region: process.env.AWS_REGION ?? 'us-east-1' });
  const dynamo = { doc: clients.doc, tableName: options.tableName };
  const stores: Stores = {
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    editions: new DynamoEditionStore(dynamo),
    ledger: new DynamoDeliveryLedger(dynamo),
    posts: new DynamoPostStore(dynamo),
    cursors: new DynamoListCursorStore(dynamo),
  };
  const queue: SendQueue = new SqsSendQueue({ sqs: clients.sqs, queueUrl: options.sendQueueUrl });
  const pauses = new DynamoSendingPauseStore(dynamo);
  // SendRawEmail and GetSendQuota through the lean Query transport (ses-query-transport.ts: 2–3x the
  // SDK's throughput in test/bench/send.bench.ts, and no @aws-sdk/client-ses in the send bundle), signed
  // with the DynamoDB client's credential provider (the SDK's default chain, cached and refreshed).
  const sesOptions = clients.options;
  const ses = new SesQueryTransport({
    region: sesOptions.region,
    ...(sesOptions.endpoints?.ses ? { endpoint: sesOptions.endpoints.ses } : {}),
    credentials: sesOptions.credentials ?? (() => clients.dynamodb.config.credentials()),
    maxSockets: sesOptions.maxSockets ?? 64,
  });
  const transport = options.decorateTransport ? options.decorateTransport(ses, stores) : ses;
  const pacer = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  let limiter = new RateLimiter({ ratePerSecond: options.sendRate ?? config.sending.maxRate });
  let slots = new SlotQueue(limiter, pacer);

  const sendDeps: SendBatchDeps = {
    config,
    editions: stores.editions,
    ledger: stores.ledger,
    subscribers: stores.subscribers,
    suppressions: stores.suppressions,
    transport,
    queue,
    pauses,
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
      ? cachedPrepare({ config, keyRing, editions: stores.editions })
      : async () => {
          throw new TidingsError(
            'KEYRING_MISSING',
            'this process has no signing keys, so it cannot build messages; send from the send function',
          );
        },
    concurrency: options.sendConcurrency ?? 8,
  };
  const sendDepsFor = (editionId: string): SendBatchDeps =>
    options.onSendOutcome
      ? { ...sendDeps, limiter, slots, onOutcome: (o) => options.onSendOutcome?.(editionId, o) }
      : sendDeps;

  const render: RenderFn =
    options.render ??
    (async () => {
      throw new TidingsError(
        'RENDER_UNAVAILABLE',
        'this process cannot render editions (no renderer wired); plan in the plan function or the CLI',
      );
    });
  const plan = (editionId: string) =>
    planEdition(
      {
        config,
        editions: stores.editions,
        posts: stores.posts,
        subscribers: stores.subscribers,
        suppressions: stores.suppressions,
        queue,
        clock,
        render,
        ...(options.planPageSize ? { pageSize: options.planPageSize } : {}),
        ...(options.onPlanProgress ? { onProgress: options.onPlanProgress } : {}),
      },
      editionId,
    );
  const { planTrigger } = options;
  const startPlan = planTrigger
    ? async (editionId: string) => {
        await planTrigger.start(editionId);
        return undefined;
      }
    : plan;

  return {
    config,
    clients,
    stores,
    queue,
    transport,
    ...(keyRing ? { keyRing } : {}),
    clock,
    get limiter() {
      return limiter;
    },
    sendDeps,
    publish: (post, opts = {}) =>
      publishPost(
        { config, posts: stores.posts, editions: stores.editions, clock, plan: startPlan },
        post,
        opts,
      ),
    digest: (listId, cadence) =>
      runDigest(
        { config, posts: stores.posts, editions: stores.editions, cursors: stores.cursors, clock, plan },
        listId,
        cadence,
      ),
    plan,
    sendBatch: (message, opts) => sendBatch(sendDepsFor(message.editionId), message, opts),
    reconcile: (editionId, opts = {}) => reconcileClaims(sendDepsFor(editionId), editionId, opts),
    status: (editionId) => editionStatus({ editions: stores.editions }, editionId),
    recent: (perList) =>
      recentEditions(
        { editions: stores.editions },
        config.lists.map((l) => l.id),
        perList,
      ),
    resumeStalledPlanning: (editions, opts = {}) =>
      resumeStalledPlanning({ clock, startPlan }, editions, opts),
    async applySendQuota(senders = 1) {
      const quota = await transport.getQuota();
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
    destroy() {
      ses.destroy();
      if (ownClients) clients.destroy();
    },
  };
}

let lambda: Promise<App> | undefined;

/**
 * The application inside a Lambda function, built once per container from the environment the stack
 * sets (see adapters/aws/lambda-env.ts). `needsKeyRing`: fetch the signing key from Secrets Manager
 * (send); `render`: the renderer, for functions that plan.
 */
export function lambdaApp(
  options: {
    readonly needsKeyRing?: boolean;
    readonly render?: (config: Config) => RenderFn;
    /** The send function: pace to min(configured share, SES MaxSendRate / max concurrency) at cold start. */
    readonly paceToSesQuota?: boolean;
    /**
     * Publishing hands each edition to the plan function (when the stack deployed one) through the trigger
     * this makes, instead of planning here. Passed in by the functions that publish, like `render`, so the
     * other bundles (send above all) carry no Lambda client.
     */
    readonly handOffPlanning?: (functionName: string, region: string) => PlanTrigger;
  } = {},
): Promise<App> {
  lambda ??= (async () => {
    const env = process.env;
    // The config cdk synth validated and wrote into the bundle: no zod schema or YAML parser on AWS.
    const config = await loadBundledConfig();
    const clients = makeClients({ region: env.AWS_REGION ?? 'us-east-1' });
    const keyRing = options.needsKeyRing
      ? await cachedSecretKeyRing(
          new SecretsManagerClient({ region: env.AWS_REGION ?? 'us-east-1' }),
          requireEnv(LambdaEnv.SigningKeyArn),
        )
      : undefined;
    const rate = Number(env[LambdaEnv.SendRatePerSender]);
    const planFunction = env[LambdaEnv.PlanFunctionName];
    const app = wire({
      config,
      clients,
      ...(keyRing ? { keyRing } : {}),
      tableName: requireEnv(LambdaEnv.TableName),
      sendQueueUrl: requireEnv(LambdaEnv.SendQueueUrl),
      ...(Number.isFinite(rate) && rate > 0 ? { sendRate: rate } : {}),
      ...(options.render ? { render: options.render(config) } : {}),
      ...(planFunction && options.handOffPlanning
        ? { planTrigger: options.handOffPlanning(planFunction, env.AWS_REGION ?? 'us-east-1') }
        : {}),
    });
    // The account's quota is shared by every concurrent sender: each takes its share of MaxSendRate. A
    // failed GetSendQuota fails the cold start (and is retried with the next invocation) rather than
    // sending at a rate SES may not allow.
    if (options.paceToSesQuota) await app.applySendQuota(Number(env[LambdaEnv.SendMaxConcurrency]) || 1);
    return app;
  })();
  lambda.catch(() => {
    lambda = undefined;
  });
  return lambda;
}

/**
 * The poll-feeds use case's dependencies on top of an app: the feed state store in the same table, the
 * seen-items memory of the list cursor store, node's fetch (timeout and size cap) and the app's publish.
 */
export function wirePollFeeds(
  app: Pick<App, 'config' | 'clients' | 'stores' | 'clock' | 'publish'>,
  options: {
    readonly tableName: string;
    readonly fetchFeed?: PollFeedDeps['fetchFeed'];
    readonly maxFailures?: number;
  },
): PollFeedDeps {
  return {
    config: app.config,
    feedStates: new DynamoFeedStateStore({ doc: app.clients.doc, tableName: options.tableName }),
    seen: app.stores.cursors,
    fetchFeed: options.fetchFeed ?? ((url, validators) => fetchDocument(url, validators)),
    publish: (post) => app.publish(post),
    clock: app.clock,
    ...(options.maxFailures ? { maxFailures: options.maxFailures } : {}),
  };
}

/**
 * The subscriber pages' dependencies (the http function, `tidings dev`, the tests): the app's stores,
 * transport, clock and signing keys, plus the rate-limit counters in the same table.
 */
export function wireJourney(
  app: Pick<App, 'config' | 'clients' | 'stores' | 'clock' | 'transport' | 'keyRing'>,
  options: {
    readonly tableName: string;
    readonly templates: JourneyTemplates;
    readonly limits?: HttpRateLimits;
    readonly log?: HttpLog;
  },
): HttpDeps {
  if (!app.keyRing) {
    throw new TidingsError('KEYRING_MISSING', 'the subscriber pages sign links: wire the app with a keyRing');
  }
  return {
    config: app.config,
    keys: app.keyRing,
    clock: app.clock,
    subscribers: app.stores.subscribers,
    suppressions: app.stores.suppressions,
    mail: app.transport,
    templates: options.templates,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    rateLimits: new DynamoRateLimitStore({ doc: app.clients.doc, tableName: options.tableName }),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
}

/** Each list's sending-pause flag: set by feedback; the sender checks it before each batch. */
export function wireSendingPauses(
  app: Pick<App, 'clients'>,
  options: { readonly tableName: string },
): DynamoSendingPauseStore {
  return new DynamoSendingPauseStore({ doc: app.clients.doc, tableName: options.tableName });
}

/** record-feedback's dependencies (the feedback function, the local SES-event emulation, the tests). */
export function wireFeedback(
  app: Pick<App, 'config' | 'clients' | 'stores' | 'clock'>,
  options: { readonly tableName: string },
): RecordFeedbackDeps {
  return {
    config: app.config,
    clock: app.clock,
    ledger: app.stores.ledger,
    suppressions: app.stores.suppressions,
    subscribers: app.stores.subscribers,
    feedback: new DynamoFeedbackStore({ doc: app.clients.doc, tableName: options.tableName }),
    pauses: wireSendingPauses(app, options),
    tagNames: DELIVERY_TAG_NAMES,
  };
}
