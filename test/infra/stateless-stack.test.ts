import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { SEND_TIMEOUT, sendPacing } from '../../infra/constructs/send-pipeline.ts';
import { HANDLER_NAMES, type HandlerName } from '../../infra/handlers.ts';
import {
  actions,
  allStatements,
  exampleConfig,
  type Finding,
  functionOf,
  statementsOf,
  synthApp,
} from './helpers.ts';

/**
 * The eight functions and their logical ids. A new logical id would replace the function, and with it its
 * URL (the subscriber pages' origin), so these never change.
 */
const FUNCTION_LOGICAL_IDS: Record<HandlerName, string> = {
  publish: 'Publish2E9BDF73',
  'poll-feeds': 'PollFeeds7A32651C',
  digest: 'Digest81A2F27A',
  plan: 'PlanDAF4E53A',
  send: 'Send46722DF3',
  reconcile: 'ReconcileD51D4F4F',
  feedback: 'Feedback2A073F76',
  http: 'Http36EFD62B',
};

const [GET, BATCH_GET, QUERY, PUT, UPDATE, DELETE, BATCH_WRITE] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** What the Lambda service's SQS poller does with the send function's role (AWSLambdaSQSQueueExecutionRole). */
const SQS_POLL = ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];
/** What SendTimers.grantScheduling gives a function that sets one-time schedules (send-timers.ts). */
const SCHEDULING = ['iam:PassRole', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule'];

/**
 * Every action each function's role holds in the deployed stack, and nothing else: what test/deploy saw
 * each bundle call (no ConditionCheckItem anywhere, no GetQueueUrl or ChangeMessageVisibility, no archive/
 * reads, no S3 for plan, only archive/ writes for digest, no quota read for http).
 */
const ACTIONS_BY_FUNCTION: Record<HandlerName, string[]> = {
  // A post with front matter sendAt gets its one-time schedule (send-timers.test.ts).
  publish: [
    GET,
    PUT,
    BATCH_WRITE,
    QUERY,
    'lambda:InvokeFunction',
    ...LOGS,
    's3:GetObject',
    's3:PutObject',
    ...SCHEDULING,
  ],
  // The waves of a post it finds for a list with deliverAt get their one-time schedules.
  'poll-feeds': [
    GET,
    BATCH_GET,
    PUT,
    BATCH_WRITE,
    QUERY,
    'lambda:InvokeFunction',
    ...LOGS,
    's3:PutObject',
    ...SCHEDULING,
  ],
  // The digest's page goes to archive/ before its edition is planned.
  digest: [GET, BATCH_GET, PUT, UPDATE, BATCH_WRITE, QUERY, ...LOGS, 's3:PutObject', 'sqs:SendMessage'],
  plan: [GET, BATCH_GET, UPDATE, BATCH_WRITE, QUERY, ...LOGS, 'sqs:SendMessage'],
  send: [
    GET,
    BATCH_GET,
    PUT,
    UPDATE,
    DELETE,
    ...LOGS,
    'secretsmanager:GetSecretValue',
    'ses:GetSendQuota',
    'ses:SendRawEmail',
    // Throttled and out-of-time recipients go back on the queue as a new message.
    'sqs:SendMessage',
    ...SQS_POLL,
  ],
  reconcile: [
    GET,
    BATCH_GET,
    PUT,
    UPDATE,
    DELETE,
    BATCH_WRITE,
    QUERY,
    'lambda:InvokeFunction',
    ...LOGS,
    'secretsmanager:GetSecretValue',
    'ses:SendRawEmail',
  ],
  feedback: [GET, BATCH_GET, PUT, UPDATE, BATCH_WRITE, ...LOGS],
  // Item actions on the subscriber pages' partitions, and Query on the import leases' partition only
  // (tidings-functions.test.ts): a sign-up of a new address waits for a live import.
  http: [
    GET,
    BATCH_WRITE,
    PUT,
    QUERY,
    UPDATE,
    // Its own ARN only: the second half of /subscribe and /resend (tidings-functions.test.ts).
    'lambda:InvokeFunction',
    ...LOGS,
    'secretsmanager:GetSecretValue',
    'ses:SendRawEmail',
  ],
};

describe('StatelessStack', () => {
  let config: Config;
  let template: Template;
  let findings: Finding[];
  let synthError: Error | undefined;
  let outdir = '';

  beforeAll(async () => {
    // Prepare + Act: one synth of the whole app, bundling every handler with esbuild, with cdk-nag on.
    config = await exampleConfig();
    const built = synthApp(config);
    findings = built.findings;
    synthError = built.synthError;
    template = Template.fromStack(built.stateless);
    outdir = built.app.outdir;
  }, 480_000);

  it('bundles the http function with its journey emails compiled, and without templates or mjml', () => {
    // The asset folder of the http function's code, as cdk synth wrote it.
    const key = String(functionOf(template, 'http').resource.Properties.Code.S3Key);
    const asset = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const journey = JSON.parse(readFileSync(join(asset, 'journey.json'), 'utf8'));
    expect(journey.confirm.html).toContain('{{actionUrl}}');
    expect(journey.welcome.html).toContain('{{slot.unsubscribeUrl}}');
    expect(existsSync(join(asset, 'templates'))).toBe(false);
    expect(readFileSync(join(asset, 'index.mjs'), 'utf8')).not.toContain('mj-column');
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
  });

  it('deploys exactly the eight functions, under their fixed logical ids, on ARM64 with their own log retention', () => {
    // CDK's own deploy-time handler (the certificate's cross-region reader) is not one of ours.
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, r]) => r.Properties.Handler === 'index.handler',
    );
    const byHandler = Object.fromEntries(
      functions.map(([logicalId, r]) => [
        /^tidings (\S+):/.exec(String(r.Properties.Description))?.[1],
        logicalId,
      ]),
    );
    expect(byHandler).toEqual(FUNCTION_LOGICAL_IDS);
    expect(Object.keys(byHandler).sort()).toEqual([...HANDLER_NAMES].sort());
    for (const [, f] of functions) expect(f.Properties.Architectures).toEqual(['arm64']);
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(HANDLER_NAMES.length);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });

  it.each(HANDLER_NAMES)('grants the %s function exactly the actions it needs', (name) => {
    const statements = statementsOf(template, functionOf(template, name));
    expect([...new Set(statements.flatMap(actions))].sort()).toEqual([...ACTIONS_BY_FUNCTION[name]].sort());
  });

  it('lets only SendRawEmail from the lists’ From addresses through the identity, and grants no ses:*', () => {
    const statements = allStatements(template);
    const ses = statements.filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    expect(statements.filter((s) => actions(s).some((a) => a === 'ses:*' || a === '*'))).toEqual([]);
    for (const s of ses) {
      if (actions(s).includes('ses:GetSendQuota')) {
        expect(s).toMatchObject({ Action: 'ses:GetSendQuota', Resource: '*' });
        continue;
      }
      expect(s.Action).toBe('ses:SendRawEmail');
      expect(s.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': [...new Set(config.lists.map((l) => l.from.address))].sort() },
      });
      expect(JSON.stringify(s.Resource)).toContain('identity/');
    }
    // send, http (double opt-in) and reconcile (its one resend).
    expect(ses.filter((s) => s.Action === 'ses:SendRawEmail')).toHaveLength(3);
  });

  it('consumes the send queue with the send function, paced to SES, and keeps messages invisible 6× its timeout', () => {
    const send = functionOf(template, 'send');
    const queueId = sendQueueId(template);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: send.logicalId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: sendPacing(config.sending.maxRate).maxConcurrency },
    });
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(1);
    // The ratio as deployed: the queue's visibility against the send function's own timeout.
    expect(send.resource.Properties.Timeout).toBe(SEND_TIMEOUT.toSeconds());
    const queue = template.findResources('AWS::SQS::Queue')[queueId];
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * send.resource.Properties.Timeout);
    expect(send.resource.Properties.Environment.Variables).toMatchObject({
      TIDINGS_SEND_RATE_PER_SENDER: String(sendPacing(config.sending.maxRate).ratePerSender),
      POWERTOOLS_SERVICE_NAME: 'tidings',
      POWERTOOLS_METRICS_NAMESPACE: 'Tidings',
      TIDINGS_SIGNING_KEY_ARN: { 'Fn::ImportValue': 'Tidings-stateful:SigningKeyArn' },
    });
  });

  it('alarms the ops topic as soon as the DLQ holds one message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SendQueueDeadLetters'), 'QueueName'] },
        },
      ],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
    });
  });

  it('alarms the ops topic as soon as an SES event lands in the feedback rule’s DLQ', () => {
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('aws.ses'),
    );
    const dlqArn = rule?.Properties.Targets[0].DeadLetterConfig.Arn as { 'Fn::GetAtt': [string, string] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqArn['Fn::GetAtt'][0], 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
    });
  });

  it('puts CloudFront in front of the subscriber pages, which accept only requests carrying its origin secret', () => {
    const http = functionOf(template, 'http');
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const dc = distribution?.Properties.DistributionConfig;
    expect(dc.Aliases).toEqual([new URL(config.publicUrl).hostname]);
    const origin = dc.Origins.find((o: { Id: string }) => o.Id === dc.DefaultCacheBehavior.TargetOriginId);
    const urlId = Object.entries(template.findResources('AWS::Lambda::Url')).find(
      ([, r]) =>
        JSON.stringify(r.Properties.TargetFunctionArn) ===
        JSON.stringify({ 'Fn::GetAtt': [http.logicalId, 'Arn'] }),
    )?.[0];
    expect(JSON.stringify(origin.DomainName)).toContain(`"${urlId}","FunctionUrl"`);
    const secretRef = origin.OriginCustomHeaders[0].HeaderValue['Fn::Join'][1][1];
    expect(http.resource.Properties.Environment.Variables.TIDINGS_ORIGIN_SECRET_ARN).toEqual(secretRef);
    // The http function may read that secret, and no other function may.
    const readers = HANDLER_NAMES.filter((name) =>
      statementsOf(template, functionOf(template, name)).some(
        (s) => JSON.stringify(s.Resource) === JSON.stringify(secretRef),
      ),
    );
    expect(readers).toEqual(['http']);
    // The certificate comes from the us-east-1 certificate stack (a cross-region reference).
    expect(JSON.stringify(dc.ViewerCertificate.AcmCertificateArn)).toContain('ExportsReader');
  });

  it('subscribes the configured ops address to the encrypted alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: config.ops.alarmEmail,
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('alarms on the SES bounce (≥ 2 %) and complaint (≥ 0.08 %) rates, and on each list and feed pausing itself', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.02,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.0008,
    });
    for (const list of config.lists) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Tidings',
        MetricName: 'SendingPaused',
        Dimensions: Match.arrayWith([{ Name: 'list', Value: list.id }]),
      });
      // The sender's error budget: SES refused the list's sender and an edition paused.
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Tidings',
        MetricName: 'EditionPaused',
        Dimensions: Match.arrayWith([{ Name: 'list', Value: list.id }]),
        Threshold: 1,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
      });
    }
    expect(config.feeds.length).toBeGreaterThan(0);
    for (const feed of config.feeds) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Tidings',
        MetricName: 'FeedPaused',
        Dimensions: Match.arrayWith([{ Name: 'feed', Value: feed.id }]),
      });
    }
  });

  it.each(HANDLER_NAMES)('alarms on any error of the %s function', (name) => {
    const fn = functionOf(template, name);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
    });
  });

  it('routes the configuration set’s events to the feedback function, and only there', () => {
    const feedback = functionOf(template, 'feedback');
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('aws.ses'),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.EventPattern.detail).toEqual({
      mail: { tags: { 'ses:configuration-set': [config.sending.configurationSet] } },
    });
    expect(rules[0]?.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [feedback.logicalId, 'Arn'] } }),
    ]);
  });

  it('publishes a Markdown file put under posts/ of the stateful bucket', () => {
    const publish = functionOf(template, 'publish');
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('Object Created'),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.EventPattern.detail).toEqual({
      bucket: { name: [{ 'Fn::ImportValue': 'Tidings-stateful:BucketName' }] },
      object: { key: [{ wildcard: 'posts/*.md' }] },
    });
    expect(rules[0]?.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [publish.logicalId, 'Arn'] } }),
    ]);
  });

  it('outputs the IAM-authorized publish URL and the public subscriber pages URL under their fixed names', () => {
    const urls = template.findResources('AWS::Lambda::Url');
    const urlOf = (name: HandlerName) => {
      const fn = functionOf(template, name);
      const found = Object.entries(urls).filter(
        ([, r]) =>
          JSON.stringify(r.Properties.TargetFunctionArn) ===
          JSON.stringify({ 'Fn::GetAtt': [fn.logicalId, 'Arn'] }),
      );
      expect(found, `the ${name} URL`).toHaveLength(1);
      return found[0] ?? ['', undefined];
    };
    const [publishUrlId, publishUrl] = urlOf('publish');
    const [subscriberUrlId, subscriberUrl] = urlOf('http');
    expect(publishUrl?.Properties.AuthType).toBe('AWS_IAM');
    expect(subscriberUrl?.Properties.AuthType).toBe('NONE');
    expect(Object.keys(urls)).toHaveLength(2);
    const outputs = template.findOutputs('*');
    expect(outputs.PublishUrl?.Value).toEqual({ 'Fn::GetAtt': [publishUrlId, 'FunctionUrl'] });
    expect(outputs.SubscriberUrl?.Value).toEqual({ 'Fn::GetAtt': [subscriberUrlId, 'FunctionUrl'] });
    expect(outputs.SendQueueUrl?.Value).toEqual({ Ref: sendQueueId(template) });
    expect(outputs.OpsTopicArn?.Value).toEqual({ Ref: expect.stringMatching(/^OpsTopic/) });
    expect(outputs.DistributionDomainName?.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^SiteDistribution/), 'DomainName'],
    });
    expect(outputs.SendTimerTargetArn?.Value).toEqual({
      'Fn::GetAtt': [functionOf(template, 'reconcile').logicalId, 'Arn'],
    });
    expect(outputs.SendTimerRoleArn?.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^SendTimersRole/), 'Arn'],
    });
    expect(outputs.SendTimerGroup?.Value).toEqual(
      Object.values(template.findResources('AWS::Scheduler::ScheduleGroup'))[0]?.Properties.Name,
    );
    expect(outputs.PublicHostRecord?.Description).toContain(new URL(config.publicUrl).hostname);
  });

  it('schedules the digests, the reconcile run and the feed polls on their own functions', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (r) => r.Properties as { Target: { Arn: unknown; Input: string } },
    );
    const targetsOf = (name: HandlerName) => {
      const arn = JSON.stringify({ 'Fn::GetAtt': [functionOf(template, name).logicalId, 'Arn'] });
      return schedules.filter((s) => JSON.stringify(s.Target.Arn) === arn);
    };
    expect(targetsOf('digest')).toHaveLength(config.lists.length * 2);
    expect(targetsOf('reconcile')).toHaveLength(1);
    expect(targetsOf('poll-feeds')).toHaveLength(config.feeds.length);
    expect(schedules).toHaveLength(config.lists.length * 2 + 1 + config.feeds.length);
  });
});

/** The send queue: the one queue with a redrive policy (its DLQ has none). */
function sendQueueId(template: Template): string {
  const queues = Object.entries(template.findResources('AWS::SQS::Queue')).filter(
    ([, r]) => r.Properties.RedrivePolicy !== undefined,
  );
  expect(queues).toHaveLength(1);
  return queues[0]?.[0] ?? '';
}
