import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Config } from '../../functions/core/config/schema.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { PublicSite } from '../constructs/public-site.ts';
import { SendPipeline } from '../constructs/send-pipeline.ts';
import { SendTimers } from '../constructs/send-timers.ts';
import { SesSending } from '../constructs/ses-sending.ts';
import { TidingsEndpoints } from '../constructs/tidings-endpoints.ts';
import { type StatefulResources, TidingsFunctions } from '../constructs/tidings-functions.ts';
import { TidingsSchedules } from '../constructs/tidings-schedules.ts';
import { HANDLER_NAMES } from '../handlers.ts';
import { type StatefulOutput, statefulExportName, TABLE_INDEXES } from './stateful-stack.ts';

/** The output names the docs and `tidings publish --stack` rely on. */
export const StatelessOutput = {
  PublishUrl: 'PublishUrl',
  SubscriberUrl: 'SubscriberUrl',
  DistributionDomainName: 'DistributionDomainName',
  DistributionId: 'DistributionId',
  SendQueueUrl: 'SendQueueUrl',
  OpsTopicArn: 'OpsTopicArn',
  SendTimerGroup: 'SendTimerGroup',
  SendTimerTargetArn: 'SendTimerTargetArn',
  SendTimerRoleArn: 'SendTimerRoleArn',
} as const;

export interface StatelessStackProps extends StackProps {
  readonly config: Config;
  /** The validated config as a JSON file, copied into every bundle. */
  readonly configFile: string;
  readonly projectRoot: string;
  /** The stateful stack's name: its explicit exports (table, bucket, signing key) are imported. */
  readonly statefulStackName: string;
  /**
   * The certificate of publicUrl's host, in us-east-1 (the certificate stack's, by cross-region reference).
   * @default - the config's aws.certificateArn
   */
  readonly certificate?: acm.ICertificate;
}

/**
 * Everything that can be replaced without losing data: the eight functions, the send queue, schedules,
 * endpoints, the SES configuration and the alarms. Each concern is a construct; this composes them.
 */
export class StatelessStack extends Stack {
  public readonly functions: TidingsFunctions;
  public readonly sendPipeline: SendPipeline;
  public readonly ses: SesSending;
  public readonly ops: OpsAlarms;
  public readonly endpoints: TidingsEndpoints;
  public readonly schedules: TidingsSchedules;
  public readonly sendTimers: SendTimers;
  public readonly site: PublicSite;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const stateful = importStateful(props.statefulStackName);

    this.ops = new OpsAlarms(this, 'Ops', config.ops.alarmEmail ? { alarmEmail: config.ops.alarmEmail } : {});
    this.sendPipeline = new SendPipeline(this, 'SendQueue', { maxRate: config.sending.maxRate });
    this.ses = new SesSending(this, 'Ses', {
      domain: config.sending.domain,
      configurationSetName: config.sending.configurationSet,
      fromAddresses: [...new Set(config.lists.map((list) => list.from.address))].sort(),
    });
    // The id `Default` is left out of logical ids: the functions (and their URLs, event source mapping and
    // async invoke config) keep the ids they had at the stack's top level, so this grouping replaces nothing.
    this.functions = new TidingsFunctions(this, 'Default', {
      projectRoot: props.projectRoot,
      configFile: props.configFile,
      stateful,
      sendPipeline: this.sendPipeline,
      ses: this.ses,
    });
    const { publish, send, feedback, http } = this.functions;
    this.sendPipeline.attachSender(send);
    this.ses.addEventsConsumer(feedback);
    this.endpoints = new TidingsEndpoints(this, 'Endpoints', {
      publish,
      http,
      bucketName: stateful.bucket.name,
    });
    this.schedules = new TidingsSchedules(this, 'Schedules', {
      digest: this.functions.digest,
      reconcile: this.functions.reconcile,
      pollFeeds: this.functions.pollFeeds,
      lists: config.lists,
      feeds: config.feeds,
    });
    // Scheduled sends: each gets a one-time schedule that wakes the reconcile function at its time. The
    // publish function sets them (front matter sendAt, and the time-zone waves of a list with deliverAt), and
    // so does poll-feeds (the waves of the posts it finds); the 5-minute reconcile pass is the backstop.
    this.sendTimers = new SendTimers(this, 'SendTimers', { target: this.functions.reconcile });
    this.sendTimers.grantScheduling(this.functions.publish);
    this.sendTimers.grantScheduling(this.functions.pollFeeds);

    const certificate =
      props.certificate ??
      (config.aws.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.aws.certificateArn)
        : undefined);
    if (!certificate)
      throw new Error('StatelessStack: no certificate (aws.certificateArn or props.certificate)');
    this.site = new PublicSite(this, 'Site', {
      domainName: new URL(config.publicUrl).hostname,
      certificate,
      pagesUrl: this.endpoints.subscriberUrl,
      archiveBucket: s3.Bucket.fromBucketAttributes(this, 'PostsBucket', {
        bucketName: stateful.bucket.name,
        bucketArn: stateful.bucket.arn,
      }),
    });
    this.functions.trustOrigin(this.site.originSecret);

    for (const name of HANDLER_NAMES) {
      const fn = this.functions.byHandler[name];
      this.ops.addAnyCount(
        `${fn.node.id}Errors`,
        fn.metricErrors({ period: Duration.minutes(5) }),
        ERROR_ALARM_DESCRIPTIONS[name],
      );
    }
    for (const feed of config.feeds) this.ops.addFeedPaused(feed.id);
    this.ops.addQueueNotEmpty(
      'DeadLetters',
      this.sendPipeline.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
      }),
      'Deliveries gave up after retries and are in the send DLQ; inspect and redrive them (docs/deploy.md)',
    );
    this.ops.addQueueNotEmpty(
      'SesEventsDeadLetters',
      this.ses.eventsDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
      }),
      'SES events (bounces, complaints, sends) could not reach the feedback function and are in its DLQ; fix the function, then replay them (docs/deploy.md)',
    );
    this.ops.addSesReputation();
    for (const list of config.lists) {
      this.ops.addSendingPaused(list.id);
      this.ops.addEditionPaused(list.id);
    }

    // Outputs at the stack's top level: their names are the keys the CLI and the docs read.
    new CfnOutput(this, StatelessOutput.SubscriberUrl, {
      value: this.endpoints.subscriberUrl.url,
      description: `The subscriber pages' origin (the http function's URL); readers use ${config.publicUrl}, through CloudFront`,
    });
    new CfnOutput(this, StatelessOutput.DistributionDomainName, {
      value: this.site.distribution.distributionDomainName,
      description: `Point ${new URL(config.publicUrl).hostname} here (CNAME, or a Route 53 alias)`,
    });
    new CfnOutput(this, StatelessOutput.DistributionId, { value: this.site.distribution.distributionId });
    new CfnOutput(this, StatelessOutput.PublishUrl, {
      value: this.endpoints.publishUrl.url,
      description: 'POST a post here, signed with SigV4 (IAM: lambda:InvokeFunctionUrl)',
    });
    new CfnOutput(this, StatelessOutput.SendQueueUrl, { value: this.sendPipeline.queue.queueUrl });
    new CfnOutput(this, StatelessOutput.OpsTopicArn, { value: this.ops.topic.topicArn });
    // What `tidings publish --at` and `tidings scheduled cancel` with --stack set and delete schedules with.
    new CfnOutput(this, StatelessOutput.SendTimerGroup, { value: this.sendTimers.group.scheduleGroupName });
    new CfnOutput(this, StatelessOutput.SendTimerTargetArn, { value: this.sendTimers.target.functionArn });
    new CfnOutput(this, StatelessOutput.SendTimerRoleArn, { value: this.sendTimers.role.roleArn });
  }
}

/** What each function's error alarm tells the operator. Every function has one. */
const ERROR_ALARM_DESCRIPTIONS: Record<(typeof HANDLER_NAMES)[number], string> = {
  publish:
    'The publish function failed (the plan function not started, the table unreachable); an S3 upload is retried 4 times, then dropped: upload the post again',
  'poll-feeds':
    'The poll-feeds function failed; the next scheduled poll tries again, and a feed that keeps failing pauses itself',
  digest:
    'The digest function failed; the schedule retries it 3 times, then the digest waits for the next period (its cursor did not move)',
  plan: 'The plan function failed; Lambda retries the edition twice, then drops it. Publish the post again: it resumes at its checkpoint',
  send: 'The send function failed (an invocation error, not a per-address failure); its batch is retried, then dead-lettered',
  reconcile: 'The reconcile function failed; the next run, 5 minutes later, does the same work',
  feedback:
    'The feedback function failed on SES events; EventBridge retries them 8 times, then puts them in the SES events DLQ',
  http: 'The subscriber pages failed (readers saw an error page): check the function logs',
};

/** The stateful stack's resources, through its explicit exports. */
function importStateful(statefulStackName: string): StatefulResources {
  const imported = (output: keyof typeof StatefulOutput): string =>
    Fn.importValue(statefulExportName(statefulStackName, output));
  return {
    table: {
      name: imported('TableName'),
      arn: imported('TableArn'),
      indexNames: TABLE_INDEXES.map((index) => index.name),
    },
    bucket: {
      name: imported('BucketName'),
      arn: imported('BucketArn'),
      // cdk-nag shows an imported value as the name of its export.
      arnInFindings: statefulExportName(statefulStackName, 'BucketArn'),
    },
    signingKeyArn: imported('SigningKeyArn'),
  };
}
