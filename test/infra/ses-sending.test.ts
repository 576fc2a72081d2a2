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
      ...(config.sending.mailFromDomain ? { mailFromDomain: config.sending.mailFromDomain } : {}),
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
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: config.sending.domain,
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: Match.objectLike({ MailFromDomain: config.sending.mailFromDomain }),
    });
  });

  it('delivers only this configuration set’s events to the consumer, retried up to 8 times', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [config.sending.configurationSet] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [consumerId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
        }),
      ],
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

  it('grants SendRawEmail from the From addresses only, and the quota read only when asked', () => {
    const ses = allStatements(template).filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    const raw = ses.filter((s) => s.Action === 'ses:SendRawEmail');
    expect(raw).toHaveLength(2);
    for (const s of raw) {
      expect(s.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': ['a@example.com', 'b@example.com'] },
      });
      expect(JSON.stringify(s.Resource)).toContain('identity/');
      expect(JSON.stringify(s.Resource)).toContain('configuration-set/",{"Ref":"SesConfigurationSet');
    }
    expect(ses.filter((s) => s.Action === 'ses:GetSendQuota')).toEqual([
      expect.objectContaining({ Resource: '*' }),
    ]);
    expect(ses.flatMap(actions).sort()).toEqual(['ses:GetSendQuota', 'ses:SendRawEmail', 'ses:SendRawEmail']);
  });
});
