import { ConfigError } from '../../core/errors.ts';

// The environment variables the stacks give the Lambda functions. infra/ sets them; the composition root
// reads them on AWS. Names, ARNs and URLs only: secret values are fetched at cold start (secrets-keyring.ts).

/** Environment variable names set on every function where the resource applies. */
export const LambdaEnv = {
  /** The DynamoDB table (every function). */
  TableName: 'TIDINGS_TABLE_NAME',
  /** The posts and web archive bucket. */
  BucketName: 'TIDINGS_BUCKET_NAME',
  /** The send queue's URL (functions that enqueue deliveries). */
  SendQueueUrl: 'TIDINGS_SEND_QUEUE_URL',
  /** The Secrets Manager ARN of the signing key ({kid, secret}); never the key itself. */
  SigningKeyArn: 'TIDINGS_SIGNING_KEY_ARN',
  /** The plan function's name, for functions that start an edition's fan-out (async invoke). */
  PlanFunctionName: 'TIDINGS_PLAN_FUNCTION_NAME',
  /** The schedule group of the scheduled sends' one-time schedules (functions that schedule sends). */
  SendTimerGroup: 'TIDINGS_SEND_TIMER_GROUP',
  /** The function a scheduled send's schedule invokes with `{ fireScheduled: id }` (the reconcile function). */
  SendTimerTargetArn: 'TIDINGS_SEND_TIMER_TARGET_ARN',
  /** The role EventBridge Scheduler assumes to invoke it. */
  SendTimerRoleArn: 'TIDINGS_SEND_TIMER_ROLE_ARN',
  /** Messages per second one send invocation may go at: the configured rate / the queue's max concurrency. */
  SendRatePerSender: 'TIDINGS_SEND_RATE_PER_SENDER',
  /** The event source's maximum concurrency for the send function. */
  SendMaxConcurrency: 'TIDINGS_SEND_MAX_CONCURRENCY',
  /** The Secrets Manager ARN of the header value CloudFront sends to the http function (never the value). */
  OriginSecretArn: 'TIDINGS_ORIGIN_SECRET_ARN',
  /** The path of the validated config inside the bundle (read by `loadConfig()` through $TIDINGS_CONFIG). */
  ConfigPath: 'TIDINGS_CONFIG',
  /** The copy of `templates/` inside the bundle. */
  TemplatesDir: 'TIDINGS_TEMPLATES_DIR',
  /** The journey emails compiled at build time (http function): `journey.json` inside the bundle. */
  JourneyPath: 'TIDINGS_JOURNEY_PATH',
  /**
   * `1` on the http function: /subscribe and /resend hand their address-dependent work to an asynchronous
   * invoke of the function itself (AWS_LAMBDA_FUNCTION_NAME), so every answer takes the same time.
   */
  JourneySelfInvoke: 'TIDINGS_JOURNEY_SELF_INVOKE',
} as const;

/** Reads a variable the stack sets; a missing one is a deployment error, reported by name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value)
    throw new ConfigError(
      'ENV_MISSING',
      `environment variable ${name} is not set: deploy with infra/ (npx cdk deploy)`,
    );
  return value;
}

/**
 * The header CloudFront adds to every request it forwards to the subscriber pages, holding the value of the
 * secret named by `TIDINGS_ORIGIN_SECRET_ARN` (infra/constructs/public-site.ts).
 */
export const ORIGIN_SECRET_HEADER = 'x-tidings-origin';
