import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { SEND_TIMEOUT, SendPipeline, sendPacing } from '../../infra/constructs/send-pipeline.ts';
import { freshStack } from './helpers.ts';

describe('sendPacing', () => {
  it('splits the SES rate across senders of about 10 messages/s each', () => {
    expect(sendPacing(200)).toEqual({ maxConcurrency: 20, ratePerSender: 10 });
    expect(sendPacing(55)).toEqual({ maxConcurrency: 6, ratePerSender: 55 / 6 });
  });

  it('keeps two senders (the SQS minimum) at a low rate, without sending faster than configured', () => {
    // The sandbox's 1 message/s and the default 14/s.
    expect(sendPacing(1)).toEqual({ maxConcurrency: 2, ratePerSender: 0.5 });
    expect(sendPacing(14)).toEqual({ maxConcurrency: 2, ratePerSender: 7 });
  });

  it('never asks SQS for more than 1,000 concurrent senders', () => {
    const pacing = sendPacing(50_000);
    expect(pacing.maxConcurrency).toBe(1000);
    expect(pacing.maxConcurrency * pacing.ratePerSender).toBe(50_000);
  });
});

describe('SendPipeline', () => {
  it('dead-letters the send queue after 8 receives and keeps messages invisible 6× the send timeout', () => {
    // Prepare + Act
    const stack = freshStack();
    new SendPipeline(stack, 'SendQueue', { maxRate: 14 });
    const template = Template.fromStack(stack);
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: SEND_TIMEOUT.toSeconds() * 6,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SendQueueDeadLetters'), 'Arn'] },
        maxReceiveCount: 8,
      },
    });
  });

  it('feeds the sender batches of ≤ 10 with partial failures, at a concurrency paced to SES', () => {
    // Prepare
    const stack = freshStack();
    const pipeline = new SendPipeline(stack, 'SendQueue', { maxRate: 200 });
    const sender = new lambda.Function(stack, 'Send', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
    // Act
    pipeline.attachSender(sender);
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: stack.getLogicalId(sender.node.defaultChild as lambda.CfnFunction) },
      EventSourceArn: {
        'Fn::GetAtt': [stack.getLogicalId(pipeline.queue.node.defaultChild as sqs.CfnQueue), 'Arn'],
      },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });
});
