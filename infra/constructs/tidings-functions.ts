import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SUBSCRIBER_PAGES_TABLE_ACCESS } from '../../functions/adapters/aws/dynamo-table.ts';
import { LambdaEnv } from '../../functions/adapters/aws/lambda-env.ts';
import { HANDLER_NAMES, type HandlerName, handlerEntry } from '../handlers.ts';
import { grantJourneySelfInvoke } from './http-self-invoke.ts';
import { acknowledge } from './nag.ts';
import { SEND_TIMEOUT, type SendPipeline } from './send-pipeline.ts';
import type { SesSending } from './ses-sending.ts';
import { TidingsFunction } from './tidings-function.ts';

/** The object prefix under which an uploaded Markdown file publishes a post. */
export const POSTS_PREFIX = 'posts/';
/** CDK context key that turns on source maps in every function (off by default: see TidingsFunction). */
export const SOURCE_MAPS_CONTEXT = 'tidings:sourceMaps';
/** The object prefix the web archive is written under. */
export const ARCHIVE_PREFIX = 'archive/';

/** The stateful stack's table, bucket and signing key, as this stack sees them (imported values). */
export interface StatefulResources {
  readonly table: {
    readonly name: string;
    readonly arn: string;
    /** The global secondary indexes the functions query. */
    readonly indexNames: readonly string[];
  };
  readonly bucket: {
    readonly name: string;
    readonly arn: string;
    /** How cdk-nag spells the bucket ARN inside a finding id (an import shows as its export name). */
    readonly arnInFindings: string;
  };
  readonly signingKeyArn: string;
}

export interface TidingsFunctionsProps {
  /** The project root: where `package-lock.json`, `functions/` and `templates/` are. */
  readonly projectRoot: string;
  /** The validated config as a JSON file, copied into every bundle. */
  readonly configFile: string;
  readonly stateful: StatefulResources;
  /** The send queue: plan and digest fill it, its pacing goes into every function's environment. */
  readonly sendPipeline: SendPipeline;
  /** The identity the send, reconcile and http functions send mail through. */
  readonly ses: SesSending;
}

/** A shared resource a function's environment may name (besides the table, which every function uses). */
export type SharedVariable = 'bucket' | 'sendQueue' | 'signingKey' | 'sendRate' | 'sendConcurrency';

/** One DynamoDB item action on the table (no table management, no Scan; Query is granted apart). */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem';

export interface FunctionSpec {
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly templates: boolean;
  /** Journey emails compiled at build time (the http function: no mjml in its bundle). */
  readonly journey?: boolean;
  /** The shared variables its code reads (test/deploy checks that it reads every one it is given). */
  readonly uses: readonly SharedVariable[];
  /**
   * The item actions its code makes on the table, and what it queries (`table`, or an index by name);
   * test/deploy records every call the bundle makes and fails on a grant no rehearsal uses. The http
   * function's access is narrower still (SUBSCRIBER_PAGES_TABLE_ACCESS, by partition key).
   */
  readonly table: { readonly items: readonly TableAction[]; readonly query: readonly string[] };
}

const GET: TableAction = 'dynamodb:GetItem';
const BATCH_GET: TableAction = 'dynamodb:BatchGetItem';
const PUT: TableAction = 'dynamodb:PutItem';
const UPDATE: TableAction = 'dynamodb:UpdateItem';
const DELETE: TableAction = 'dynamodb:DeleteItem';
const BATCH_WRITE: TableAction = 'dynamodb:BatchWriteItem';

/** What each function is, how long it may run, what it reads from the bundle and the environment. */
export const FUNCTION_SPECS: Readonly<Record<HandlerName, FunctionSpec>> = {
  publish: {
    description: 'Publishes an uploaded or POSTed post',
    timeout: Duration.minutes(1),
    memorySize: 1024,
    templates: true,
    uses: ['bucket'],
    table: { items: [GET, PUT, BATCH_WRITE], query: ['table', 'gsi1'] },
  },
  'poll-feeds': {
    description: 'Polls one feed and publishes its new items',
    timeout: Duration.minutes(2),
    memorySize: 1024,
    templates: true,
    uses: ['bucket'],
    table: { items: [GET, BATCH_GET, PUT, BATCH_WRITE], query: ['table', 'gsi1'] },
  },
  digest: {
    description: "Builds a list's digest edition on its schedule",
    timeout: Duration.minutes(2),
    memorySize: 1024,
    templates: true,
    uses: ['sendQueue', 'bucket'],
    table: { items: [GET, BATCH_GET, PUT, UPDATE, BATCH_WRITE], query: ['gsi1'] },
  },
  plan: {
    description: 'Fans an edition out to the send queue',
    timeout: Duration.minutes(5),
    memorySize: 1024,
    templates: true,
    uses: ['sendQueue'],
    table: { items: [GET, BATCH_GET, UPDATE, BATCH_WRITE], query: ['gsi1'] },
  },
  send: {
    description: 'Personalizes and sends one batch of deliveries through SES',
    timeout: SEND_TIMEOUT,
    memorySize: 512,
    templates: false,
    uses: ['sendQueue', 'signingKey', 'sendRate', 'sendConcurrency'],
    table: { items: [GET, BATCH_GET, PUT, UPDATE, DELETE], query: [] },
  },
  reconcile: {
    description: 'Reconciles stale delivery claims from SES Send events; resends the unconfirmed ones once',
    // Shorter than the schedule's period, so two runs do not overlap in the normal case (and the reclaim is
    // conditional when they do).
    timeout: Duration.minutes(4),
    memorySize: 512,
    templates: false,
    uses: ['signingKey', 'sendRate'],
    table: { items: [GET, BATCH_GET, PUT, UPDATE, DELETE, BATCH_WRITE], query: ['table', 'gsi1', 'gsi2'] },
  },
  feedback: {
    description: 'Records SES events: ledger, suppression, per-list rates',
    timeout: Duration.seconds(30),
    memorySize: 256,
    templates: false,
    uses: [],
    table: { items: [GET, BATCH_GET, PUT, UPDATE, BATCH_WRITE], query: [] },
  },
  http: {
    description: 'Subscriber pages: subscribe, confirm, unsubscribe, preferences',
    timeout: Duration.seconds(10),
    memorySize: 512,
    templates: false,
    journey: true,
    uses: ['signingKey'],
    // Its table access is by partition key (SUBSCRIBER_PAGES_TABLE_ACCESS, grantHttp), not these lists.
    table: { items: [], query: [] },
  },
};

const GET_SEND_QUOTA_REASON =
  'ses:GetSendQuota has no resource-level permissions (the service authorization reference lists no resource type for it), so it can only be granted on *; it is read-only and returns the account quota the sender paces to. The statement holds only that action.';

/**
 * The eight functions, each with exactly the permissions it needs and the environment that names its
 * resources. Triggers (queue, rules, schedules, URLs) are wired by the constructs that own them.
 */
export class TidingsFunctions extends Construct {
  public readonly publish: TidingsFunction;
  public readonly pollFeeds: TidingsFunction;
  public readonly digest: TidingsFunction;
  public readonly plan: TidingsFunction;
  public readonly send: TidingsFunction;
  public readonly reconcile: TidingsFunction;
  public readonly feedback: TidingsFunction;
  public readonly http: TidingsFunction;
  /** The same eight functions, by handler name. */
  public readonly byHandler: Readonly<Record<HandlerName, TidingsFunction>>;

  private readonly props: TidingsFunctionsProps;

  constructor(scope: Construct, id: string, props: TidingsFunctionsProps) {
    super(scope, id);
    this.props = props;
    const { sendPipeline } = props;
    // Each function gets only the variables its code reads (FUNCTION_SPECS[name].uses).
    const shared: Record<SharedVariable, readonly [string, string]> = {
      bucket: [LambdaEnv.BucketName, props.stateful.bucket.name],
      sendQueue: [LambdaEnv.SendQueueUrl, sendPipeline.queue.queueUrl],
      signingKey: [LambdaEnv.SigningKeyArn, props.stateful.signingKeyArn],
      sendRate: [LambdaEnv.SendRatePerSender, String(sendPipeline.pacing.ratePerSender)],
      sendConcurrency: [LambdaEnv.SendMaxConcurrency, String(sendPipeline.pacing.maxConcurrency)],
    };
    const byHandler = Object.fromEntries(
      HANDLER_NAMES.map((name) => {
        const spec = FUNCTION_SPECS[name];
        const fn = new TidingsFunction(this, functionId(name), {
          projectRoot: props.projectRoot,
          entry: handlerEntry(name),
          configFile: props.configFile,
          description: `tidings ${name}: ${spec.description}`,
          timeout: spec.timeout,
          memorySize: spec.memorySize,
          includeTemplates: spec.templates,
          compileJourney: spec.journey ?? false,
          environment: {
            [LambdaEnv.TableName]: props.stateful.table.name,
            ...Object.fromEntries(spec.uses.map((use) => shared[use])),
          },
          // Opt-in readable stack traces: `npx cdk deploy -c tidings:sourceMaps=true`.
          sourceMaps: [true, 'true'].includes(this.node.tryGetContext(SOURCE_MAPS_CONTEXT)),
        });
        return [name, fn];
      }),
    ) as Record<HandlerName, TidingsFunction>;
    this.byHandler = byHandler;
    this.publish = byHandler.publish;
    this.pollFeeds = byHandler['poll-feeds'];
    this.digest = byHandler.digest;
    this.plan = byHandler.plan;
    this.send = byHandler.send;
    this.reconcile = byHandler.reconcile;
    this.feedback = byHandler.feedback;
    this.http = byHandler.http;

    this.grantEditionStarters();
    this.grantPlan();
    this.grantSend();
    this.grantReconcile();
    this.grantTable(this.feedback, 'feedback');
    this.grantHttp();
  }

  /**
   * Functions that start editions. Publish reads the uploaded post; publish and poll-feeds write the web
   * archive and hand each edition to the plan function (an async invoke). The digest function plans its
   * own (its cursor moves only once the plan is finished), so it fills the send queue itself; it writes
   * its digest's page to the archive first. None gets the signing key: only functions that build links
   * need it.
   */
  private grantEditionStarters(): void {
    const { publish, pollFeeds, digest } = this;
    this.grantTable(publish, 'publish');
    this.grantObjects(publish, ['s3:GetObject'], POSTS_PREFIX);
    this.grantTable(pollFeeds, 'poll-feeds');
    for (const fn of [publish, pollFeeds]) {
      this.grantObjects(fn, ['s3:PutObject'], ARCHIVE_PREFIX);
      this.grantStartPlan(fn);
    }
    this.grantTable(digest, 'digest');
    this.grantObjects(digest, ['s3:PutObject'], ARCHIVE_PREFIX);
    this.grantEnqueue(digest);
  }

  private grantPlan(): void {
    const { plan } = this;
    this.grantTable(plan, 'plan');
    this.grantEnqueue(plan);
    // Lambda retries a failed asynchronous invoke twice; each run resumes at the edition's checkpoint.
    plan.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
  }

  private grantSend(): void {
    const { send } = this;
    this.grantTable(send, 'send');
    // Throttled, out-of-time and paused recipients go back on the queue as a new message.
    this.grantEnqueue(send);
    this.grantSecret(send);
    this.props.ses.grantSendRawEmail(send);
    acknowledge(send.role, 'AwsSolutions-IAM5[Resource::*]', GET_SEND_QUOTA_REASON);
  }

  /**
   * It resends an unconfirmed claim itself, under the ledger's conditional reclaim, rather than putting it
   * back on the send queue: the sender skips any delivery that already has a claim, and releasing the claim
   * before enqueueing would lose the delivery if the function stopped between the two (docs/delivery.md).
   * So: the table, the signing key for the links, and SendRawEmail under the same From condition as send.
   */
  private grantReconcile(): void {
    const { reconcile } = this;
    this.grantTable(reconcile, 'reconcile');
    this.grantSecret(reconcile);
    this.props.ses.grantSendRawEmail(reconcile, { sendQuota: false });
    // An edition whose planning stalled (the handoff or the plan function failed for good) is started again.
    this.grantStartPlan(reconcile);
  }

  /**
   * The public function reaches only the items of the subscriber pages, by partition key prefix: a flaw in
   * a page cannot read editions, the ledger or posts, or write anything else.
   */
  private grantHttp(): void {
    const { http } = this;
    for (const access of Object.values(SUBSCRIBER_PAGES_TABLE_ACCESS)) {
      http.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...access.actions],
          resources: [this.props.stateful.table.arn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': access.partitionPrefixes.map((p) => `${p}*`),
            },
          },
        }),
      );
    }
    this.grantSecret(http);
    // Double opt-in: the confirmation email is sent from the same From addresses, under the same condition.
    // It never reads the SES quota (a confirmation is one message, paced by the pages' rate limits).
    this.props.ses.grantSendRawEmail(http, { sendQuota: false });
    grantJourneySelfInvoke(this, this.http);
  }

  /**
   * The http function answers only requests that carry CloudFront's origin header: it reads the expected
   * value from this secret at cold start (its ARN in the environment, never the value).
   */
  trustOrigin(secret: { readonly secretArn: string }): void {
    const { http } = this;
    http.addEnvironment(LambdaEnv.OriginSecretArn, secret.secretArn);
    http.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
  }

  // Grants are written out rather than taken from grant*() helpers: those add wildcard actions
  // (s3:GetObject*, s3:List*) and `index/*`, and each function needs only a few exact actions.

  /**
   * The function's own table access (FUNCTION_SPECS): its item actions on the table, and Query on the
   * table and the indexes it queries only (an item action on an index means nothing).
   */
  private grantTable(fn: TidingsFunction, name: HandlerName): void {
    const { table } = this.props.stateful;
    const { items, query } = FUNCTION_SPECS[name].table;
    const unknown = query.filter((q) => q !== 'table' && !table.indexNames.includes(q));
    if (unknown.length > 0) throw new Error(`${name}: no index ${unknown.join(', ')} on the table`);
    if (items.length > 0)
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...items], resources: [table.arn] }));
    if (query.length > 0)
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: query.map((q) => (q === 'table' ? table.arn : `${table.arn}/index/${q}`)),
        }),
      );
  }

  /**
   * SendMessage on the send queue, and nothing else: the queue adapter sends batches by the URL it is
   * given (no GetQueueUrl, no GetQueueAttributes, which grantSendMessages() would add).
   */
  private grantEnqueue(fn: TidingsFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.props.sendPipeline.queue.queueArn],
      }),
    );
  }

  private grantObjects(fn: TidingsFunction, actions: string[], prefix: string): void {
    const { bucket } = this.props.stateful;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [`${bucket.arn}/${prefix}*`] }));
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::${bucket.arnInFindings}/${prefix}*]`,
      `Objects under ${prefix} only: post keys are chosen by authors, so the prefix is the narrowest scope.`,
    );
  }

  private grantSecret(fn: TidingsFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.props.stateful.signingKeyArn],
      }),
    );
  }

  /** Exactly the plan function, by ARN, and its name in the environment. */
  private grantStartPlan(fn: TidingsFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.plan.functionArn] }),
    );
    fn.addEnvironment(LambdaEnv.PlanFunctionName, this.plan.functionName);
  }
}

/** `poll-feeds` → `PollFeeds`: a construct id that reads well in the console. */
function functionId(name: HandlerName): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
