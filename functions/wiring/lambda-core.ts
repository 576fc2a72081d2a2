// The composition root of a Lambda function, from the environment the stack sets, on the adapter set
// the function's wiring module hands it (lambda.ts: the whole AWS set; lambda-pages.ts: the pages' own).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadBundledConfig } from '../adapters/aws/bundled-config.ts';
import { LambdaEnv, requireEnv } from '../adapters/aws/lambda-env.ts';
import { cachedSecretKeyRing } from '../adapters/aws/secrets-keyring.ts';
import type { Config } from '../core/config/schema.ts';
import type { PlanTrigger } from '../ports/plan-trigger.ts';
import type { PostObjects } from '../ports/post-objects.ts';
import type { SendTimer } from '../ports/send-timer.ts';
import type { RenderFn } from '../use-cases/plan-edition.ts';
import type { PollFeedDeps } from '../use-cases/poll-feeds.ts';
import type { Adapters } from './adapters.ts';
import { type App, type AppOptions, buildApp } from './app.ts';

/** What each function brings to its app: only these bundles carry what they name. */
export interface LambdaAppOptions {
  /** Fetch the signing key from Secrets Manager (send, http). */
  readonly needsKeyRing?: boolean;
  /** The renderer, for the functions that plan (mjml stays out of the other bundles). */
  readonly render?: (config: Config) => RenderFn;
  /** The send function: pace to min(configured share, SES MaxSendRate / max concurrency) at cold start. */
  readonly paceToSesQuota?: boolean;
  /**
   * The function sends editions' mail (send, reconcile): it paces at its share of the configured rate
   * (TIDINGS_SEND_RATE_PER_SENDER). Others keep the config's own rate and read no such variable.
   */
  readonly sendsEditions?: boolean;
  /**
   * The function puts messages on the send queue (plan, digest; send, for the recipients it hands back):
   * TIDINGS_SEND_QUEUE_URL names it.
   */
  readonly enqueues?: boolean;
  /**
   * Publishing hands each edition to the plan function through the trigger this makes, instead of
   * planning here. Passed in by the functions that publish, like `render`, so the other bundles (send
   * above all) carry no Lambda client.
   */
  readonly handOffPlanning?: (functionName: string, region: string) => PlanTrigger;
  /**
   * The one-time schedules of scheduled sends, for the publish function (the stack sets their group, target
   * and role in its environment); only its bundle carries the Scheduler client.
   */
  readonly sendTimer?: (target: {
    readonly region: string;
    readonly groupName: string;
    readonly targetArn: string;
    readonly roleArn: string;
  }) => SendTimer;
  /** The posts bucket's reader, for the publish function (only its bundle carries the S3 client). */
  readonly postObjects?: (adapters: Adapters) => PostObjects;
  /** The heavy use cases this function runs (use-cases.ts); no other is bundled with it. */
  readonly useCases?: AppOptions['useCases'];
  /** The feed fetcher, for the poll-feeds function. */
  readonly fetchFeed?: PollFeedDeps['fetchFeed'];
  /** The web archive's writer and templates, for the functions that publish (lambda-archive.ts). */
  readonly archive?: (adapters: Adapters) => NonNullable<AppOptions['archive']>;
}

/** Where a function's adapters read and write, from its environment. */
export interface LambdaAdapterTarget {
  readonly region: string;
  readonly tableName: string;
  readonly sendQueueUrl: string;
}

let lambda: Promise<App> | undefined;

/**
 * The application inside a Lambda function on the adapters `makeAdapters` builds, once per container (a
 * failed build is retried).
 */
export function lambdaAppOn(
  makeAdapters: (target: LambdaAdapterTarget) => Adapters,
  options: LambdaAppOptions = {},
): Promise<App> {
  lambda ??= (async () => {
    const env = process.env;
    const region = env.AWS_REGION ?? 'us-east-1';
    // The config cdk synth validated and wrote into the bundle: no zod schema or YAML parser on AWS.
    const config = await loadBundledConfig();
    const keyRing = options.needsKeyRing
      ? await cachedSecretKeyRing(new SecretsManagerClient({ region }), requireEnv(LambdaEnv.SigningKeyArn))
      : undefined;
    // Each variable is read only by the functions that use it, so the deploy rehearsal (test/deploy) can
    // tell a variable the stack gives a function that never reads it.
    const rate = options.sendsEditions ? Number(requireEnv(LambdaEnv.SendRatePerSender)) : Number.NaN;
    const planFunction = options.handOffPlanning ? requireEnv(LambdaEnv.PlanFunctionName) : undefined;
    const adapters = makeAdapters({
      region,
      tableName: requireEnv(LambdaEnv.TableName),
      sendQueueUrl: options.enqueues ? requireEnv(LambdaEnv.SendQueueUrl) : '',
    });
    const app = buildApp(adapters, {
      config,
      ...(keyRing ? { keyRing } : {}),
      ...(Number.isFinite(rate) && rate > 0 ? { sendRate: rate } : {}),
      ...(options.render ? { render: options.render(config) } : {}),
      ...(planFunction && options.handOffPlanning
        ? { planTrigger: options.handOffPlanning(planFunction, region) }
        : {}),
      ...(options.sendTimer
        ? {
            sendTimer: options.sendTimer({
              region,
              groupName: requireEnv(LambdaEnv.SendTimerGroup),
              targetArn: requireEnv(LambdaEnv.SendTimerTargetArn),
              roleArn: requireEnv(LambdaEnv.SendTimerRoleArn),
            }),
          }
        : {}),
      ...(options.fetchFeed ? { fetchFeed: options.fetchFeed } : {}),
      ...(options.useCases ? { useCases: options.useCases } : {}),
      ...(options.postObjects ? { postObjects: options.postObjects(adapters) } : {}),
      ...(options.archive ? { archive: options.archive(adapters) } : {}),
      onQuotaError: (error) =>
        console.warn(
          JSON.stringify({
            level: 'WARN',
            event: 'send.quota-unavailable',
            message: `the SES quota could not be read; pacing at the configured rate: ${(error as Error)?.message ?? String(error)}`,
          }),
        ),
    });
    // The account's quota is shared by every concurrent sender: each takes its share of MaxSendRate, read
    // through the table (GetSendQuota at most once a minute for all of them). A failed read does not fail
    // the cold start: the configured share stands, and SES throttling, if any, is backed off from.
    if (options.paceToSesQuota)
      await app.applySendQuota(Number(requireEnv(LambdaEnv.SendMaxConcurrency)) || 1);
    return app;
  })();
  lambda.catch(() => {
    lambda = undefined;
  });
  return lambda;
}
