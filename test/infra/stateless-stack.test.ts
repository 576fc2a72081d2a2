import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { SEND_TIMEOUT, sendPacing } from '../../infra/constructs/send-pipeline.ts';
import { presentHandlers } from '../../infra/handlers.ts';
import { exampleConfig, type Finding, PROJECT_ROOT, synthApp } from './helpers.ts';

// The stacks deploy only the handlers present in functions/handlers/; each check below asserts the wiring
// of a handler when it exists, and that nothing triggers a missing one (no fake routes) when it does not.
const present = presentHandlers(PROJECT_ROOT);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

describe('StatelessStack', () => {
  let config: Config;
  let template: Template;
  let findings: Finding[];
  let synthError: Error | undefined;

  beforeAll(async () => {
    // Prepare + Act: one synth, bundling every present handler with esbuild, with cdk-nag on.
    config = await exampleConfig();
    const built = synthApp(config);
    findings = built.findings;
    synthError = built.synthError;
    template = Template.fromStack(built.stateless);
  }, 480_000);

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
  });

  it('dead-letters the send queue after 8 receives and keeps messages invisible 6× the send timeout', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: SEND_TIMEOUT.toSeconds() * 6,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SendQueueDeadLetters'), 'Arn'] },
        maxReceiveCount: 8,
      },
    });
    // The ratio as deployed: the queue's visibility against the send function's own timeout.
    const sendFn = Object.values(template.findResources('AWS::Lambda::Function')).find((r) =>
      String(r.Properties.Description).startsWith('tidings send:'),
    );
    if (sendFn) {
      const queue = template.findResources('AWS::SQS::Queue')[sendQueueId(template)];
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * sendFn.Properties.Timeout);
    }
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

  it('subscribes the configured ops address to the encrypted alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: config.ops.alarmEmail,
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('alarms on the SES bounce (≥ 2 %) and complaint (≥ 0.08 %) rates, and on each list pausing itself', () => {
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
    }
  });

  it('consumes the send queue in batches of ≤ 10 with partial failures and a concurrency paced to SES', () => {
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
    if (!present.has('send')) {
      expect(mappings).toEqual({});
      return;
    }
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [sendQueueId(template), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: sendPacing(config.sending.maxRate).maxConcurrency },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^tidings send'),
      Timeout: SEND_TIMEOUT.toSeconds(),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          TIDINGS_SEND_RATE_PER_SENDER: String(sendPacing(config.sending.maxRate).ratePerSender),
          POWERTOOLS_SERVICE_NAME: 'tidings',
          POWERTOOLS_METRICS_NAMESPACE: 'Tidings',
          TIDINGS_SIGNING_KEY_ARN: { 'Fn::ImportValue': 'Tidings-stateful:SigningKeyArn' },
        }),
      },
    });
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
    const sendersOfMail = ['send', 'http', 'reconcile'].filter((h) => present.has(h as never));
    expect(ses.filter((s) => s.Action === 'ses:SendRawEmail')).toHaveLength(sendersOfMail.length);
  });

  it('publishes SES Send, Delivery, Bounce, Complaint and Reject events of the configuration set', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: config.sending.configurationSet,
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint', 'reject'],
        EventBridgeDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: config.sending.domain,
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: Match.objectLike({ MailFromDomain: config.sending.mailFromDomain }),
    });
  });

  it('prints the DKIM CNAMEs, SPF and a DMARC suggestion as outputs', () => {
    const outputs = template.findOutputs('*');
    const names = Object.keys(outputs);
    expect(names.filter((n) => /DkimRecord[123]/.test(n))).toHaveLength(3);
    expect(JSON.stringify(outputs[names.find((n) => n.startsWith('SesSpf')) ?? ''])).toContain(
      'v=spf1 include:amazonses.com',
    );
    expect(JSON.stringify(outputs[names.find((n) => n.startsWith('SesDmarc')) ?? ''])).toContain(
      'v=DMARC1; p=none',
    );
  });

  it('schedules each list’s daily and weekly digest with its cron and timezone', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (r) =>
        r.Properties as {
          ScheduleExpression: string;
          ScheduleExpressionTimezone?: string;
          Target: { Input: string };
        },
    );
    const digests = schedules.filter((s) => s.Target.Input.includes('cadence'));
    if (!present.has('digest')) {
      expect(digests).toEqual([]);
      return;
    }
    const expected = config.lists.flatMap((l) =>
      (['daily', 'weekly'] as const).map((cadence) => ({
        expression: l.digest[cadence],
        timezone: l.digest.timezone,
        input: { listId: l.id, cadence, scheduledTime: '<aws.scheduler.scheduled-time>' },
      })),
    );
    expect(
      digests.map((s) => ({
        expression: s.ScheduleExpression,
        timezone: s.ScheduleExpressionTimezone,
        input: JSON.parse(s.Target.Input),
      })),
    ).toEqual(expect.arrayContaining(expected));
    expect(digests).toHaveLength(expected.length);
  });

  it('polls each configured feed on its own schedule, or not at all without a poller', () => {
    const polls = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((r) =>
      String(r.Properties.Target.Input).includes('feedId'),
    );
    if (!present.has('poll-feeds')) {
      expect(polls).toEqual([]);
      return;
    }
    expect(polls.map((r) => r.Properties.ScheduleExpression)).toEqual(config.feeds.map((f) => f.schedule));
  });

  it('reconciles stale claims every 5 minutes, with only the table, the signing key, SendRawEmail and the plan function', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((r) =>
      String(r.Properties.Description).startsWith('reconcile'),
    );
    const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, r]) =>
      String(r.Properties.Description).startsWith('tidings reconcile:'),
    );
    if (!present.has('reconcile')) {
      expect(schedules).toEqual([]);
      return;
    }
    if (!fn) throw new Error('no reconcile function in the template');
    // The schedule: every 5 minutes, the scheduled time as the event, no retries (the next run catches up).
    expect(schedules).toHaveLength(1);
    const schedule = schedules[0]?.Properties;
    expect(schedule.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.parse(schedule.Target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(schedule.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
    expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [fn[0], 'Arn'] });
    // Runs end before the next one starts.
    expect(fn[1].Properties.Timeout).toBeLessThan(5 * 60);

    // The role: exactly these statements, nothing on the queue, no quota read, no wildcard action.
    const roleId = (fn[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
    const byAction = statements.map((s) => actions(s).sort().join(' ')).sort();
    expect(byAction).toEqual(
      [
        [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ].join(' '),
        // Its own log group (TidingsFunction).
        'logs:CreateLogStream logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'ses:SendRawEmail',
        // Starting a stalled edition's planning again, when there is a plan function.
        ...(present.has('plan') ? ['lambda:InvokeFunction'] : []),
      ].sort(),
    );
    const send = statements.find((s) => s.Action === 'ses:SendRawEmail');
    expect(send?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': [...new Set(config.lists.map((l) => l.from.address))].sort() },
    });
    const secret = statements.find((s) => s.Action === 'secretsmanager:GetSecretValue');
    expect(secret?.Resource).toEqual({ 'Fn::ImportValue': 'Tidings-stateful:SigningKeyArn' });
    const table = statements.find((s) => actions(s).includes('dynamodb:Query'));
    expect(JSON.stringify(table?.Resource)).toContain('Tidings-stateful:TableArn');
    expect(JSON.stringify(table?.Resource)).not.toMatch(/index\/\*/);
  });

  it('lets publish and poll-feeds start only the plan function, retried twice and alarmed, and plan fill the queue', () => {
    const fns = Object.entries(template.findResources('AWS::Lambda::Function'));
    const fn = (name: string) =>
      fns.find(([, r]) => String(r.Properties.Description).startsWith(`tidings ${name}:`));
    const plan = fn('plan');
    if (!present.has('plan') || !plan) {
      expect(plan).toBeUndefined();
      return;
    }
    const statementsOf = (entry: (typeof fns)[number]) => {
      const roleId = (entry[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
    };
    for (const name of ['publish', 'poll-feeds'] as const) {
      const starter = fn(name);
      if (!present.has(name) || !starter) continue;
      const statements = statementsOf(starter);
      // Exactly the plan function, by ARN; and nothing on the send queue: the plan function fills it.
      expect(statements.filter((s) => actions(s).includes('lambda:InvokeFunction'))).toEqual([
        expect.objectContaining({ Resource: { 'Fn::GetAtt': [plan[0], 'Arn'] } }),
      ]);
      expect(statements.flatMap(actions).filter((a) => a.startsWith('sqs:'))).toEqual([]);
      expect(starter[1].Properties.Environment.Variables.TIDINGS_PLAN_FUNCTION_NAME).toEqual({
        Ref: plan[0],
      });
    }
    expect(statementsOf(plan).flatMap(actions)).toContain('sqs:SendMessage');
    const digest = fn('digest');
    if (present.has('digest') && digest)
      expect(statementsOf(digest).flatMap(actions)).toContain('sqs:SendMessage');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: plan[0] },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: plan[0] } }],
    });
  });

  it('publishes a Markdown file put under posts/ and exposes an IAM-authorized publish URL', () => {
    const urls = Object.values(template.findResources('AWS::Lambda::Url')).map((r) => r.Properties.AuthType);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('Object Created'),
    );
    if (!present.has('publish')) {
      expect(rules).toEqual([]);
      return;
    }
    expect(urls).toContain('AWS_IAM');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ 'Fn::ImportValue': 'Tidings-stateful:BucketName' }] },
        object: { key: [{ wildcard: 'posts/*.md' }] },
      },
    });
  });

  it('lets the public subscriber pages touch only subscriber, email-lock, suppression and rate-limit items', () => {
    const http = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, r]) =>
      String(r.Properties.Description).startsWith('tidings http:'),
    );
    if (!present.has('http') || !http) return;
    const roleId = (http[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const dynamo = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => actions(st).some((a) => a.startsWith('dynamodb:')));
    // Two statements, item actions only (no Query, no Scan), on the table and no index: reads on four
    // partition prefixes, writes on three (suppressions are read-only here).
    expect(dynamo).toHaveLength(2);
    const read = dynamo.find((st) => actions(st).includes('dynamodb:GetItem'));
    const write = dynamo.find((st) => actions(st).includes('dynamodb:PutItem'));
    expect(actions(read as Statement).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
    expect(actions(write as Statement).sort()).toEqual(
      ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort(),
    );
    for (const st of [read, write]) {
      expect(st?.Resource).toEqual({ 'Fn::ImportValue': 'Tidings-stateful:TableArn' });
    }
    expect(read?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'EMAIL#*', 'SUPP#*', 'RATE#*'] },
    });
    expect(write?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'EMAIL#*', 'RATE#*'] },
    });
  });

  it('serves the subscriber pages on a public Function URL only when the http handler exists', () => {
    const urls = Object.values(template.findResources('AWS::Lambda::Url')).map((r) => r.Properties.AuthType);
    expect(urls.filter((t) => t === 'NONE')).toHaveLength(present.has('http') ? 1 : 0);
    expect(Object.keys(template.findOutputs('SubscriberUrl'))).toHaveLength(present.has('http') ? 1 : 0);
  });

  it('routes the configuration set’s events to the feedback function when it exists', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('aws.ses'),
    );
    expect(rule?.Properties.EventPattern.detail).toEqual({
      mail: { tags: { 'ses:configuration-set': [config.sending.configurationSet] } },
    });
    expect(rule?.Properties.Targets ?? []).toHaveLength(present.has('feedback') ? 1 : 0);
  });

  it('deploys exactly the handlers present on disk, each on ARM64 with its own log retention', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (r) => r.Properties as { Description: string; Architectures: string[]; LoggingConfig: unknown },
    );
    expect(functions.map((f) => /^tidings (\S+):/.exec(f.Description)?.[1]).sort()).toEqual(
      [...present].sort(),
    );
    for (const f of functions) expect(f.Architectures).toEqual(['arm64']);
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(present.size);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
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

function allStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (r) => (r.Properties.PolicyDocument.Statement as Statement[]) ?? [],
  );
}

function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
