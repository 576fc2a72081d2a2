// The one composition root: every adapter and use case is built here, from one options object.
// Lambda handlers, the CLI, the local runner, the demo and the tests all call `wire()`.
//
// The renderer (MJML) is NOT imported here: it is passed in as `render` by the processes that plan
// (plan/publish/digest handlers, the CLI), so the send bundle stays free of mjml.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClients, type ClientOptions, makeClients } from './adapters/aws/clients.ts';
import { DynamoDeliveryLedger } from './adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoEditionStore } from './adapters/aws/dynamo-edition-store.ts';
import { DynamoListCursorStore } from './adapters/aws/dynamo-list-cursor-store.ts';
import { DynamoPostStore } from './adapters/aws/dynamo-post-store.ts';
import { DynamoSubscriberStore } from './adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from './adapters/aws/dynamo-suppression-store.ts';
import { LambdaEnv, requireEnv } from './adapters/aws/lambda-env.ts';
import { cachedSecretKeyRing } from './adapters/aws/secrets-keyring.ts';
import { SesMailTransport } from './adapters/aws/ses-mail-transport.ts';
import { SqsSendQueue } from './adapters/aws/sqs-send-queue.ts';
import { loadConfig } from './adapters/local/config-file.ts';
import type { Config } from './core/config/schema.ts';
import { TidingsError } from './core/errors.ts';
import { effectiveRate, RateLimiter } from './core/pacing/rate-limiter.ts';
import type { Post } from './core/posts/post.ts';
import type { KeyRing } from './core/tokens/tokens.ts';
import { type Clock, systemClock } from './ports/clock.ts';
import type { DeliveryLedger } from './ports/delivery-ledger.ts';
import type { EditionStore } from './ports/edition-store.ts';
import type { ListCursorStore } from './ports/list-cursor-store.ts';
import type { MailTransport } from './ports/mail-transport.ts';
import type { PostStore } from './ports/post-store.ts';
import type { SendBatchMessage, SendQueue } from './ports/send-queue.ts';
import type { SubscriberStore } from './ports/subscriber-store.ts';
import type { SuppressionStore } from './ports/suppression-store.ts';
import { editionStatus, recentEditions } from './use-cases/edition-status.ts';
import { type PlanResult, planEdition, type RenderFn } from './use-cases/plan-edition.ts';
import { cachedPrepare } from './use-cases/prepare-edition.ts';
import { publishPost } from './use-cases/publish-post.ts';
import { reconcileClaims } from './use-cases/reconcile-claims.ts';
import { runDigest } from './use-cases/run-digest.ts';
import { type RecipientOutcome, type SendBatchDeps, sendBatch } from './use-cases/send-batch.ts';

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
  sendBatch(message: SendBatchMessage): ReturnType<typeof sendBatch>;
  reconcile(editionId: string, options?: { readonly windowMs?: number }): ReturnType<typeof reconcileClaims>;
  status(editionId: string): ReturnType<typeof editionStatus>;
  recent(perList?: number): ReturnType<typeof recentEditions>;
  /** Lowers the pace to SES's MaxSendRate when that is below the configured rate (GetSendQuota). */
  applySendQuota(): Promise<number>;
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
  const ses = new SesMailTransport({ ses: clients.ses });
  const transport = options.decorateTransport ? options.decorateTransport(ses, stores) : ses;
  let limiter = new RateLimiter({ ratePerSecond: options.sendRate ?? config.sending.maxRate });

  const sendDeps: SendBatchDeps = {
    config,
    editions: stores.editions,
    ledger: stores.ledger,
    subscribers: stores.subscribers,
    suppressions: stores.suppressions,
    transport,
    queue,
    clock,
    get limiter() {
      return limiter;
    },
    pacer: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
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
      ? { ...sendDeps, limiter, onOutcome: (o) => options.onSendOutcome?.(editionId, o) }
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
      publishPost({ config, posts: stores.posts, editions: stores.editions, clock, plan }, post, opts),
    digest: (listId, cadence) =>
      runDigest(
        { config, posts: stores.posts, editions: stores.editions, cursors: stores.cursors, clock, plan },
        listId,
        cadence,
      ),
    plan,
    sendBatch: (message) => sendBatch(sendDepsFor(message.editionId), message),
    reconcile: (editionId, opts = {}) => reconcileClaims(sendDepsFor(editionId), editionId, opts),
    status: (editionId) => editionStatus({ editions: stores.editions }, editionId),
    recent: (perList) =>
      recentEditions(
        { editions: stores.editions },
        config.lists.map((l) => l.id),
        perList,
      ),
    async applySendQuota() {
      const quota = await transport.getQuota();
      const rate = effectiveRate(options.sendRate ?? config.sending.maxRate, quota.maxSendRate);
      if (rate !== limiter.ratePerSecond) limiter = new RateLimiter({ ratePerSecond: rate });
      return rate;
    },
    destroy() {
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
  options: { readonly needsKeyRing?: boolean; readonly render?: (config: Config) => RenderFn } = {},
): Promise<App> {
  lambda ??= (async () => {
    const env = process.env;
    const { config } = await loadConfig();
    const clients = makeClients({ region: env.AWS_REGION ?? 'us-east-1' });
    const keyRing = options.needsKeyRing
      ? await cachedSecretKeyRing(
          new SecretsManagerClient({ region: env.AWS_REGION ?? 'us-east-1' }),
          requireEnv(LambdaEnv.SigningKeyArn),
        )
      : undefined;
    const rate = Number(env[LambdaEnv.SendRatePerSender]);
    return wire({
      config,
      clients,
      ...(keyRing ? { keyRing } : {}),
      tableName: requireEnv(LambdaEnv.TableName),
      sendQueueUrl: requireEnv(LambdaEnv.SendQueueUrl),
      ...(Number.isFinite(rate) && rate > 0 ? { sendRate: rate } : {}),
      ...(options.render ? { render: options.render(config) } : {}),
    });
  })();
  lambda.catch(() => {
    lambda = undefined;
  });
  return lambda;
}
