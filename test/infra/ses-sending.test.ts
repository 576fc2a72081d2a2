import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { SesSending } from '../../infra/constructs/ses-sending.ts';
import { actions, allStatements, exampleConfig, freshStack } from './helpers.ts';

describe('SesSending', () => {
  let config: Config;
  let template: Template;
  let consumerId: string;

  beforeAll(async () => {
    // Prepare: the example's sending settings, a consumer of the events and two grantees.
    config = await exampleConfig();
    const stack = freshStack();
    const ses = new SesSending(stack, 'Ses', {
      domain: config.sending.domain,
      configurationSetName: config.sending.configurationSet,
      fromAddresses: ['a@example.com', 'b@example.com'],
    });
    const consumer = new lambda.Function(stack, 'Feedback', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
    consumerId = stack.getLogicalId(consumer.node.defaultChild as lambda.CfnFunction);
    const role = (id: string) =>
      new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // Act
    ses.addEventsConsumer(consumer);
    ses.grantSendRawEmail(role('Sender'));
    ses.grantSendRawEmail(role('Resender'), { sendQuota: false });
    template = Template.fromStack(stack);
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
    // The identity (DKIM) lives in the stateful stack: this construct must never create one.
    expect(template.findResources('AWS::SES::EmailIdentity')).toEqual({});
  });

  it('delivers only this configuration set’s events to the consumer, retried 8 times, then to a DLQ', () => {
    const dlq = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(dlq).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [config.sending.configurationSet] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [consumerId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq[0], 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    // EventBridge may write to it, for this rule only.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^SesEvents'), 'Arn'] } },
            },
          }),
        ]),
      },
    });
  });

  it('grants SendRawEmail from the From addresses only, and the quota read only when asked', () => {
    const ses = allStatements(template).filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    const raw = ses.filter((s) => s.Action === 'ses:SendRawEmail');
    expect(raw).toHaveLength(2);
    for (const s of raw) {
      expect(s.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': ['a@example.com', 'b@example.com'] },
      });
      expect(JSON.stringify(s.Resource)).toContain(`identity/${config.sending.domain}`);
      expect(JSON.stringify(s.Resource)).toContain('configuration-set/",{"Ref":"SesConfigurationSet');
    }
    expect(ses.filter((s) => s.Action === 'ses:GetSendQuota')).toEqual([
      expect.objectContaining({ Resource: '*' }),
    ]);
    expect(ses.flatMap(actions).sort()).toEqual(['ses:GetSendQuota', 'ses:SendRawEmail', 'ses:SendRawEmail']);
  });
});
