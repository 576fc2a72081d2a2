import { Fn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { SendPipeline, sendPacing } from '../../infra/constructs/send-pipeline.ts';
import { SesSending } from '../../infra/constructs/ses-sending.ts';
import { FUNCTION_SPECS, TidingsFunctions } from '../../infra/constructs/tidings-functions.ts';
import { HANDLER_NAMES, type HandlerName } from '../../infra/handlers.ts';
import {
  actions,
  exampleConfig,
  freshStack,
  functionOf,
  PROJECT_ROOT,
  type Statement,
  statementsOf,
} from './helpers.ts';

/** The TIDINGS_ variables of each function: exactly what its code reads (test/deploy checks the reading). */
const VARIABLES: Record<HandlerName, string[]> = {
  publish: ['TABLE_NAME', 'BUCKET_NAME', 'PLAN_FUNCTION_NAME', 'CONFIG', 'TEMPLATES_DIR'],
  'poll-feeds': ['TABLE_NAME', 'BUCKET_NAME', 'PLAN_FUNCTION_NAME', 'CONFIG', 'TEMPLATES_DIR'],
  digest: ['TABLE_NAME', 'SEND_QUEUE_URL', 'BUCKET_NAME', 'CONFIG', 'TEMPLATES_DIR'],
  plan: ['TABLE_NAME', 'SEND_QUEUE_URL', 'CONFIG', 'TEMPLATES_DIR'],
  send: [
    'TABLE_NAME',
    'SEND_QUEUE_URL',
    'SIGNING_KEY_ARN',
    'SEND_RATE_PER_SENDER',
    'SEND_MAX_CONCURRENCY',
    'CONFIG',
  ],
  reconcile: ['TABLE_NAME', 'SIGNING_KEY_ARN', 'SEND_RATE_PER_SENDER', 'PLAN_FUNCTION_NAME', 'CONFIG'],
  feedback: ['TABLE_NAME', 'CONFIG'],
  http: ['TABLE_NAME', 'SIGNING_KEY_ARN', 'CONFIG', 'JOURNEY_PATH', 'JOURNEY_SELF_INVOKE'],
};

const TABLE_ARN = { 'Fn::ImportValue': 'Tidings-stateful:TableArn' };
const indexArn = (name: string) => ({ 'Fn::Join': ['', [TABLE_ARN, `/index/${name}`]] });

describe('TidingsFunctions', () => {
  let config: Config;
  let template: Template;

  beforeAll(async () => {
    // Prepare: the construct on a fresh stack, with the stateful values imported as the stack imports them.
    config = await exampleConfig();
    const stack = freshStack();
    const sendPipeline = new SendPipeline(stack, 'SendQueue', { maxRate: config.sending.maxRate });
    const ses = new SesSending(stack, 'Ses', {
      domain: config.sending.domain,
      configurationSetName: config.sending.configurationSet,
      fromAddresses: [...new Set(config.lists.map((l) => l.from.address))].sort(),
    });
    const imported = (name: string) => Fn.importValue(`Tidings-stateful:${name}`);
    // Act
    new TidingsFunctions(stack, 'Functions', {
      projectRoot: PROJECT_ROOT,
      configFile: `${PROJECT_ROOT}/examples/tidings.config.ts`,
      stateful: {
        table: { name: imported('TableName'), arn: imported('TableArn'), indexNames: ['gsi1', 'gsi2'] },
        bucket: {
          name: imported('BucketName'),
          arn: imported('BucketArn'),
          arnInFindings: 'Tidings-stateful:BucketArn',
        },
        signingKeyArn: imported('SigningKeyArn'),
      },
      sendPipeline,
      ses,
    });
    template = Template.fromStack(stack);
  });

  it.each(HANDLER_NAMES)(
    'deploys the %s function with its timeout, memory and only the variables its code reads',
    (name) => {
      const spec = FUNCTION_SPECS[name];
      const fn = functionOf(template, name);
      expect(fn.resource.Properties).toMatchObject({
        Description: `tidings ${name}: ${spec.description}`,
        Timeout: spec.timeout.toSeconds(),
        MemorySize: spec.memorySize,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
      const variables = fn.resource.Properties.Environment.Variables;
      const tidings = Object.keys(variables).filter((k) => k.startsWith('TIDINGS_'));
      expect(tidings.sort()).toEqual(VARIABLES[name].map((v) => `TIDINGS_${v}`).sort());
      expect(variables).toMatchObject({
        TIDINGS_TABLE_NAME: { 'Fn::ImportValue': 'Tidings-stateful:TableName' },
        ...(VARIABLES[name].includes('SEND_RATE_PER_SENDER')
          ? { TIDINGS_SEND_RATE_PER_SENDER: String(sendPacing(config.sending.maxRate).ratePerSender) }
          : {}),
      });
    },
  );

  it.each(HANDLER_NAMES)('keeps source maps out of the %s function’s runtime path by default', (name) => {
    const variables = functionOf(template, name).resource.Properties.Environment.Variables;
    expect(variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
  });

  it('gives only the http function the journey emails compiled at build time, and no templates folder', () => {
    const withJourney = HANDLER_NAMES.filter(
      (name) => functionOf(template, name).resource.Properties.Environment.Variables.TIDINGS_JOURNEY_PATH,
    );
    expect(withJourney).toEqual(['http']);
    expect(FUNCTION_SPECS.http.templates).toBe(false);
  });

  it('grants item actions on the table only, and Query only on what the function queries, by name (not index/*)', () => {
    const feedback = statementsOf(template, functionOf(template, 'feedback'));
    const items = feedback.filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
    expect(items.map((s) => [actions(s).sort(), s.Resource])).toEqual([
      [
        [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        TABLE_ARN,
      ],
    ]);
    const reconcile = statementsOf(template, functionOf(template, 'reconcile'));
    expect(reconcile.find((s) => s.Action === 'dynamodb:Query')?.Resource).toEqual([
      TABLE_ARN,
      indexArn('gsi1'),
      indexArn('gsi2'),
    ]);
    const plan = statementsOf(template, functionOf(template, 'plan'));
    expect(plan.find((s) => s.Action === 'dynamodb:Query')?.Resource).toEqual(indexArn('gsi1'));
  });

  it('reconciles with only the table, the signing key, SendRawEmail and the plan function', () => {
    const fn = functionOf(template, 'reconcile');
    // Runs end before the next one starts (every 5 minutes).
    expect(fn.resource.Properties.Timeout).toBeLessThan(5 * 60);
    // The role: exactly these statements, nothing on the queue, no quota read, no wildcard action.
    const statements = statementsOf(template, fn);
    expect(statements.map((s) => actions(s).sort().join(' ')).sort()).toEqual(
      [
        'dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:UpdateItem',
        'dynamodb:Query',
        // Its own log group (TidingsFunction).
        'logs:CreateLogStream logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'ses:SendRawEmail',
        // Starting a stalled edition's planning again.
        'lambda:InvokeFunction',
      ].sort(),
    );
    const send = statements.find((s) => s.Action === 'ses:SendRawEmail');
    expect(send?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': [...new Set(config.lists.map((l) => l.from.address))].sort() },
    });
    const secret = statements.find((s) => s.Action === 'secretsmanager:GetSecretValue');
    expect(secret?.Resource).toEqual({ 'Fn::ImportValue': 'Tidings-stateful:SigningKeyArn' });
    const table = statements.find((s) => actions(s).includes('dynamodb:GetItem'));
    expect(table?.Resource).toEqual(TABLE_ARN);
    const plan = functionOf(template, 'plan');
    expect(statements.find((s) => s.Action === 'lambda:InvokeFunction')?.Resource).toEqual({
      'Fn::GetAtt': [plan.logicalId, 'Arn'],
    });
    expect(fn.resource.Properties.Environment.Variables.TIDINGS_PLAN_FUNCTION_NAME).toEqual({
      Ref: plan.logicalId,
    });
  });

  it.each(['publish', 'poll-feeds'] as const)(
    'lets %s start only the plan function, and leaves the send queue to it',
    (name) => {
      const plan = functionOf(template, 'plan');
      const starter = functionOf(template, name);
      const statements = statementsOf(template, starter);
      // Exactly the plan function, by ARN; and nothing on the send queue: the plan function fills it.
      expect(statements.filter((s) => actions(s).includes('lambda:InvokeFunction'))).toEqual([
        expect.objectContaining({ Resource: { 'Fn::GetAtt': [plan.logicalId, 'Arn'] } }),
      ]);
      expect(statements.flatMap(actions).filter((a) => a.startsWith('sqs:'))).toEqual([]);
      expect(starter.resource.Properties.Environment.Variables.TIDINGS_PLAN_FUNCTION_NAME).toEqual({
        Ref: plan.logicalId,
      });
    },
  );

  it.each([
    ['publish', ['s3:GetObject posts/*', 's3:PutObject archive/*']],
    ['poll-feeds', ['s3:PutObject archive/*']],
    ['digest', ['s3:PutObject archive/*']],
    ['plan', []],
  ] as const)('lets %s touch only these objects: %j', (name, expected) => {
    const statements = statementsOf(template, functionOf(template, name));
    const s3 = statements.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    const bucketArn = { 'Fn::ImportValue': 'Tidings-stateful:BucketArn' };
    expect(s3.map((s) => [s.Action, s.Resource])).toEqual(
      expected.map((grant) => {
        const [action, prefix] = grant.split(' ');
        return [action, { 'Fn::Join': ['', [bucketArn, `/${prefix}`]] }];
      }),
    );
  });

  it('lets plan, digest and send put messages on the send queue, and only that; retries a failed plan twice within an hour', () => {
    const plan = functionOf(template, 'plan');
    expect(statementsOf(template, plan).flatMap(actions)).not.toContain('lambda:InvokeFunction');
    for (const name of ['plan', 'digest', 'send'] as const) {
      const sqs = statementsOf(template, functionOf(template, name)).filter((s) =>
        actions(s).includes('sqs:SendMessage'),
      );
      expect(sqs.map((s) => [s.Action, s.Resource])).toEqual([
        ['sqs:SendMessage', { 'Fn::GetAtt': [expect.stringMatching(/^SendQueue/), 'Arn'] }],
      ]);
    }
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: plan.logicalId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('lets send read the quota and send from the lists’ addresses with the signing key, and nothing else of SES', () => {
    const statements = statementsOf(template, functionOf(template, 'send'));
    const ses = statements.filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    expect(ses.map((s) => s.Action).sort()).toEqual(['ses:GetSendQuota', 'ses:SendRawEmail']);
    expect(statements.flatMap(actions)).toContain('secretsmanager:GetSecretValue');
  });

  it('lets the public subscriber pages touch only subscriber, email-lock, suppression and rate-limit items', () => {
    const dynamo = statementsOf(template, functionOf(template, 'http')).filter((st) =>
      actions(st).some((a) => a.startsWith('dynamodb:')),
    );
    // Three statements, on the table and no index: item reads on four partition prefixes, item writes on
    // three (suppressions are read-only here), and a Query of the import leases' one partition.
    expect(dynamo).toHaveLength(3);
    const read = dynamo.find((st) => actions(st).includes('dynamodb:GetItem'));
    const write = dynamo.find((st) => actions(st).includes('dynamodb:PutItem'));
    expect(actions(read as Statement).sort()).toEqual(['dynamodb:GetItem']);
    expect(actions(write as Statement).sort()).toEqual(
      ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort(),
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
    const query = dynamo.find((st) => actions(st).includes('dynamodb:Query'));
    expect(actions(query as Statement)).toEqual(['dynamodb:Query']);
    expect(query?.Resource).toEqual({ 'Fn::ImportValue': 'Tidings-stateful:TableArn' });
    expect(query?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IMPORTS*'] },
    });
  });
  it('lets the http function invoke only itself, asynchronously, for the second half of /subscribe and /resend', () => {
    // Assess: one lambda:InvokeFunction statement, on the http function's own ARN; the env turns it on.
    const http = functionOf(template, 'http');
    const invoke = statementsOf(template, http).filter((st) =>
      actions(st).some((a) => a.startsWith('lambda:')),
    );
    expect(invoke).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [http.logicalId, 'Arn'] },
      },
    ]);
    const env = (http.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.TIDINGS_JOURNEY_SELF_INVOKE).toBe('1');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: http.logicalId },
      MaximumRetryAttempts: 0,
    });
    // No other function may invoke it, and no other function gets the switch.
    for (const name of HANDLER_NAMES.filter((n) => n !== 'http')) {
      const fn = functionOf(template, name);
      const targets = statementsOf(template, fn)
        .filter((st) => actions(st).includes('lambda:InvokeFunction'))
        .map((st) => JSON.stringify(st.Resource));
      expect(targets.join(' '), name).not.toContain(http.logicalId);
      const vars = (fn.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars.TIDINGS_JOURNEY_SELF_INVOKE, name).toBeUndefined();
    }
  });
});
