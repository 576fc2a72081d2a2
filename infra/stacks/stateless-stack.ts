import { CfnOutput, Duration, Fn, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { SUBSCRIBER_PAGES_TABLE_ACCESS } from '../../functions/adapters/aws/dynamo-table.ts';
import { LambdaEnv } from '../../functions/adapters/aws/lambda-env.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { SEND_TIMEOUT, SendPipeline } from '../constructs/send-pipeline.ts';
import { SesSending } from '../constructs/ses-sending.ts';
import { TidingsFunction } from '../constructs/tidings-function.ts';
import { type HandlerName, handlerEntry } from '../handlers.ts';
import { type StatefulOutput, statefulExportName, TABLE_INDEXES } from './stateful-stack.ts';

/** The output names the docs and `tidings publish --stack` rely on. */
export const StatelessOutput = {
  PublishUrl: 'PublishUrl',
  SubscriberUrl: 'SubscriberUrl',
  SendQueueUrl: 'SendQueueUrl',
  OpsTopicArn: 'OpsTopicArn',
} as const;

/** The object prefix under which an uploaded Markdown file publishes a post. */
export const POSTS_PREFIX = 'posts/';
/** The object prefix the web archive is written under. */
export const ARCHIVE_PREFIX = 'archive/';

export interface StatelessStackProps extends StackProps {
  readonly config: Config;
  /** The validated config as a JSON file, copied into every bundle. */
  readonly configFile: string;
  readonly projectRoot: string;
  /** The handlers present on disk; only these are deployed. */
  readonly handlers: ReadonlySet<HandlerName>;
  /** The stateful stack's name: its explicit exports (table, bucket, signing key) are imported. */
  readonly statefulStackName: string;
}

/** What each function is, how long it may run, and what it reads from the bundle. */
const FUNCTION_SPECS: Record<
  HandlerName,
  { description: string; timeout: Duration; memorySize: number; templates: boolean }
> = {
  publish: {
    description: 'Publishes an uploaded or POSTed post',
    timeout: Duration.minutes(1),
    memorySize: 1024,
    templates: true,
  },
  'poll-feeds': {
    description: 'Polls one feed and publishes its new items',
    timeout: Duration.minutes(2),
    memorySize: 1024,
    templates: true,
  },
  digest: {
    description: "Builds a list's digest edition on its schedule",
    timeout: Duration.minutes(2),
    memorySize: 1024,
    templates: true,
  },
  plan: {
    description: 'Fans an edition out to the send queue',
    timeout: Duration.minutes(5),
    memorySize: 1024,
    templates: true,
  },
  send: {
    description: 'Personalizes and sends one batch of deliveries through SES',
    timeout: SEND_TIMEOUT,
    memorySize: 512,
    templates: false,
  },
  reconcile: {
    description: 'Reconciles stale delivery claims from SES Send events; resends the unconfirmed ones once',
    // Shorter than the schedule's period, so two runs do not overlap in the normal case (and the reclaim is
    // conditional when they do).
    timeout: Duration.minutes(4),
    memorySize: 512,
    templates: false,
  },
  feedback: {
    description: 'Records SES events: ledger, suppression, per-list rates',
    timeout: Duration.seconds(30),
    memorySize: 256,
    templates: false,
  },
  http: {
    description: 'Subscriber pages: subscribe, confirm, unsubscribe, preferences',
    timeout: Duration.seconds(10),
    memorySize: 512,
    templates: true,
  },
};

/**
 * Everything that can be replaced without losing data: functions, the send queue, schedules, endpoints,
 * the SES configuration and the alarms. Only handlers present on disk are deployed, with their triggers.
 */
export class StatelessStack extends Stack {
  public readonly functions: Partial<Record<HandlerName, TidingsFunction>> = {};
  public readonly sendPipeline: SendPipeline;
  public readonly ses: SesSending;
  public readonly ops: OpsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const imported = (output: keyof typeof StatefulOutput): string =>
      Fn.importValue(statefulExportName(props.statefulStackName, output));
    const table = { name: imported('TableName'), arn: imported('TableArn') };
    const bucket = { name: imported('BucketName'), arn: imported('BucketArn') };
    const signingKeyArn = imported('SigningKeyArn');

    this.ops = new OpsAlarms(this, 'Ops', config.ops.alarmEmail ? { alarmEmail: config.ops.alarmEmail } : {});
    this.sendPipeline = new SendPipeline(this, 'SendQueue', { maxRate: config.sending.maxRate });
    const fromAddresses = [...new Set(config.lists.map((list) => list.from.address))].sort();
    this.ses = new SesSending(this, 'Ses', {
      domain: config.sending.domain,
      configurationSetName: config.sending.configurationSet,
      fromAddresses,
      ...(config.sending.mailFromDomain ? { mailFromDomain: config.sending.mailFromDomain } : {}),
    });

    const common: Record<string, string> = {
      [LambdaEnv.TableName]: table.name,
      [LambdaEnv.BucketName]: bucket.name,
      [LambdaEnv.SendQueueUrl]: this.sendPipeline.queue.queueUrl,
      [LambdaEnv.SigningKeyArn]: signingKeyArn,
      [LambdaEnv.ConfigurationSet]: config.sending.configurationSet,
      [LambdaEnv.SendRatePerSender]: String(this.sendPipeline.pacing.ratePerSender),
      [LambdaEnv.SendMaxConcurrency]: String(this.sendPipeline.pacing.maxConcurrency),
    };
    for (const name of props.handlers) {
      const spec = FUNCTION_SPECS[name];
      this.functions[name] = new TidingsFunction(this, functionId(name), {
        projectRoot: props.projectRoot,
        entry: handlerEntry(name),
        configFile: props.configFile,
        description: `tidings ${name}: ${spec.description}`,
        timeout: spec.timeout,
        memorySize: spec.memorySize,
        includeTemplates: spec.templates,
        environment: common,
      });
    }
    const { publish, plan, send, reconcile, feedback, http, digest } = this.functions;
    const pollFeeds = this.functions['poll-feeds'];

    // Grants are written out rather than taken from grant*() helpers: those add wildcard actions
    // (s3:GetObject*, s3:List*) and `index/*`, and each function needs only a few exact actions.
    const tableResources = [table.arn, ...TABLE_INDEXES.map((index) => `${table.arn}/index/${index.name}`)];
    const grantTable = (fn: TidingsFunction): void => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: TABLE_READ_WRITE_ACTIONS, resources: tableResources }),
      );
    };
    const grantObjects = (fn: TidingsFunction, actions: string[], prefix: string): void => {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [`${bucket.arn}/${prefix}*`] }));
      acknowledge(
        fn.role,
        `AwsSolutions-IAM5[Resource::${importedName(props.statefulStackName, 'BucketArn')}/${prefix}*]`,
        `Objects under ${prefix} only: post keys are chosen by authors, so the prefix is the narrowest scope.`,
      );
    };
    const grantSecret = (fn: TidingsFunction): void => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [signingKeyArn] }),
      );
    };

    // Functions that start editions: they read the post, write the archive page and record the edition.
    // Publish and poll-feeds hand each edition to the plan function (an async invoke) when it is deployed;
    // the digest function plans its own (its cursor moves only once the plan is finished).
    for (const fn of [publish, pollFeeds, digest]) {
      if (!fn) continue;
      grantTable(fn);
      grantObjects(fn, ['s3:GetObject'], POSTS_PREFIX);
      grantObjects(fn, ['s3:PutObject'], ARCHIVE_PREFIX);
      if (plan && fn !== digest) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [plan.functionArn] }),
        );
        fn.addEnvironment(LambdaEnv.PlanFunctionName, plan.functionName);
      } else {
        this.sendPipeline.queue.grantSendMessages(fn);
      }
    }
    if (plan) {
      grantTable(plan);
      grantObjects(plan, ['s3:GetObject'], ARCHIVE_PREFIX);
      this.sendPipeline.queue.grantSendMessages(plan);
      // Lambda retries a failed asynchronous invoke twice; each run resumes at the edition's checkpoint.
      plan.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
      this.ops.addAnyCount(
        'PlanErrors',
        plan.metricErrors({ period: Duration.minutes(5) }),
        'The plan function failed; Lambda retries the edition twice, then drops it. Publish the post again: it resumes at its checkpoint',
      );
    }
    if (send) {
      grantTable(send);
      grantSecret(send);
      this.ses.grantSendRawEmail(send);
      acknowledge(send.role, 'AwsSolutions-IAM5[Resource::*]', GET_SEND_QUOTA_REASON);
      this.sendPipeline.attachSender(send);
      this.ops.addAnyCount(
        'SendErrors',
        send.metricErrors({ period: Duration.minutes(5) }),
        'The send function failed (an invocation error, not a per-address failure); its batch is retried, then dead-lettered',
      );
    }
    if (reconcile) {
      // It resends an unconfirmed claim itself, under the ledger's conditional reclaim, rather than putting it
      // back on the send queue: the sender skips any delivery that already has a claim, and releasing the claim
      // before enqueueing would lose the delivery if the function stopped between the two (docs/delivery.md).
      // So: the table, the signing key for the links, and SendRawEmail under the same From condition as send.
      grantTable(reconcile);
      grantSecret(reconcile);
      this.ses.grantSendRawEmail(reconcile, { sendQuota: false });
      // An edition whose planning stalled (the handoff or the plan function failed for good) is started again.
      if (plan) {
        reconcile.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [plan.functionArn] }),
        );
        reconcile.addEnvironment(LambdaEnv.PlanFunctionName, plan.functionName);
      }
    }
    if (feedback) {
      grantTable(feedback);
      this.ses.eventsRule.addTarget(new targets.LambdaFunction(feedback, { retryAttempts: 8 }));
    }
    if (http) {
      // The public function reaches only the items of the subscriber pages, by partition key prefix: a flaw
      // in a page cannot read editions, the ledger or posts, or write anything else.
      for (const access of [SUBSCRIBER_PAGES_TABLE_ACCESS.read, SUBSCRIBER_PAGES_TABLE_ACCESS.write]) {
        http.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [...access.actions],
            resources: [table.arn],
            conditions: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': access.partitionPrefixes.map((p) => `${p}*`),
              },
            },
          }),
        );
      }
      grantSecret(http);
      // Double opt-in: the confirmation email is sent from the same From addresses, under the same condition.
      this.ses.grantSendRawEmail(http);
      acknowledge(http.role, 'AwsSolutions-IAM5[Resource::*]', GET_SEND_QUOTA_REASON);
      const url = http.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      new CfnOutput(this, StatelessOutput.SubscriberUrl, {
        value: url.url,
        description: `Subscriber pages (subscribe, confirm, unsubscribe, preferences); point ${config.publicUrl} at it`,
      });
    }
    if (publish) {
      this.ops.addAnyCount(
        'PublishErrors',
        publish.metricErrors({ period: Duration.minutes(5) }),
        'The publish function failed (the plan function not started, the table unreachable); an S3 upload is retried twice, then dropped: upload the post again',
      );
      // The signing key is only for functions that build links; publish renders slots, not tokens.
      const url = publish.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      new CfnOutput(this, StatelessOutput.PublishUrl, {
        value: url.url,
        description: 'POST a post here, signed with SigV4 (IAM: lambda:InvokeFunctionUrl)',
      });
      new events.Rule(this, 'PostUploaded', {
        description: `A Markdown file put under ${POSTS_PREFIX} publishes it`,
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [bucket.name] },
            object: { key: [{ wildcard: `${POSTS_PREFIX}*.md` }] },
          },
        },
        targets: [new targets.LambdaFunction(publish, { retryAttempts: 4 })],
      });
    }
    // EventBridge Scheduler's LambdaInvoke target grants its role `<function ARN>:*` (versions and aliases
    // of that one function). The role is CDK's, created in the stack scope, so the finding is acknowledged there.
    const acknowledgeSchedulerRole = (fn: TidingsFunction): void => {
      const logicalId = this.resolve(this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)) as string;
      acknowledge(
        this,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        `The scheduler's role may invoke only the ${fn.node.id} function; the :* suffix covers that function's versions and aliases, nothing else.`,
      );
    };
    if (digest) {
      acknowledgeSchedulerRole(digest);
      for (const list of config.lists) {
        for (const cadence of ['daily', 'weekly'] as const) {
          new scheduler.Schedule(this, `Digest-${list.id}-${cadence}`, {
            description: `${cadence} digest of list ${list.id}`,
            schedule: scheduler.ScheduleExpression.expression(
              list.digest[cadence],
              TimeZone.of(list.digest.timezone),
            ),
            target: new schedulerTargets.LambdaInvoke(digest, {
              input: scheduler.ScheduleTargetInput.fromObject({
                listId: list.id,
                cadence,
                scheduledTime: scheduler.ContextAttribute.scheduledTime,
              }),
              retryAttempts: 3,
            }),
          });
        }
      }
    }
    if (reconcile) {
      acknowledgeSchedulerRole(reconcile);
      new scheduler.Schedule(this, 'ReconcileSchedule', {
        description: 'reconcile stale delivery claims of the editions not yet complete',
        schedule: scheduler.ScheduleExpression.expression(RECONCILE_SCHEDULE),
        target: new schedulerTargets.LambdaInvoke(reconcile, {
          input: scheduler.ScheduleTargetInput.fromObject({
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          // The next run, five minutes later, does the same work.
          retryAttempts: 0,
        }),
      });
    }
    if (pollFeeds) {
      if (config.feeds.length > 0) acknowledgeSchedulerRole(pollFeeds);
      for (const feed of config.feeds) {
        new scheduler.Schedule(this, `Poll-${feed.id}`, {
          description: `poll feed ${feed.id} (${feed.url})`,
          schedule: scheduler.ScheduleExpression.expression(feed.schedule),
          target: new schedulerTargets.LambdaInvoke(pollFeeds, {
            input: scheduler.ScheduleTargetInput.fromObject({
              feedId: feed.id,
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
            }),
            // A missed poll is caught up by the next one; retrying would only pile up on a failing feed.
            retryAttempts: 0,
          }),
        });
        this.ops.addFeedPaused(feed.id);
      }
    }

    this.ops.addQueueNotEmpty(
      'DeadLetters',
      this.sendPipeline.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
      }),
      'Deliveries gave up after retries and are in the send DLQ; inspect and redrive them (docs/deploy.md)',
    );
    this.ops.addSesReputation();
    for (const list of config.lists) this.ops.addSendingPaused(list.id);

    new CfnOutput(this, StatelessOutput.SendQueueUrl, { value: this.sendPipeline.queue.queueUrl });
    new CfnOutput(this, StatelessOutput.OpsTopicArn, { value: this.ops.topic.topicArn });
  }
}

/** How often stale claims are reconciled; a claim is stale after 15 minutes (DEFAULT_RECONCILE_WINDOW_MS). */
export const RECONCILE_SCHEDULE = 'rate(5 minutes)';

/** Read and write items, and query the table and its indexes; no table management, no scans of other tables. */
const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

const GET_SEND_QUOTA_REASON =
  'ses:GetSendQuota has no resource-level permissions (the service authorization reference lists no resource type for it), so it can only be granted on *; it is read-only and returns the account quota the sender paces to. The statement holds only that action.';

/** Records a cdk-nag acknowledgement for one exact finding on one construct. */
function acknowledge(construct: Construct, finding: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: finding, reason });
}

/** How cdk-nag spells an imported stateful export inside a finding id. */
function importedName(statefulStackName: string, output: keyof typeof StatefulOutput): string {
  return statefulExportName(statefulStackName, output);
}

/** `poll-feeds` → `PollFeeds`: a construct id that reads well in the console. */
function functionId(name: HandlerName): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
