import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { TidingsEndpoints, type TidingsEndpointsProps } from '../../infra/constructs/tidings-endpoints.ts';
import { freshStack } from './helpers.ts';

/** The construct on a fresh stack, with stand-in publish and http functions. */
function build(props: Partial<TidingsEndpointsProps> = {}) {
  const stack = freshStack();
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
  const publish = fn('Publish');
  const http = fn('Http');
  const endpoints = new TidingsEndpoints(stack, 'Endpoints', {
    publish,
    http,
    bucketName: 'posts-bucket',
    ...props,
  });
  const arn = (f: lambda.Function) => ({
    'Fn::GetAtt': [stack.getLogicalId(f.node.defaultChild as lambda.CfnFunction), 'Arn'],
  });
  return { template: Template.fromStack(stack), endpoints, arn, publish, http };
}

describe('TidingsEndpoints', () => {
  it('exposes publish on an IAM-authorized URL and the subscriber pages on a public one', () => {
    const { template, arn, publish, http } = build();
    template.hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: arn(publish),
      AuthType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::Lambda::Url', { TargetFunctionArn: arn(http), AuthType: 'NONE' });
    expect(Object.keys(template.findResources('AWS::Lambda::Url'))).toHaveLength(2);
  });

  it('publishes a Markdown file put under posts/ of the bucket, retried 4 times', () => {
    const { template, arn, publish } = build();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['posts-bucket'] }, object: { key: [{ wildcard: 'posts/*.md' }] } },
      },
      Targets: [{ Arn: arn(publish), Id: 'Target0', RetryPolicy: { MaximumRetryAttempts: 4 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arn(publish),
      Principal: 'events.amazonaws.com',
    });
  });

  it('matches another posts prefix when given one', () => {
    const { template } = build({ postsPrefix: 'drafts/ready/' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { object: { key: [{ wildcard: 'drafts/ready/*.md' }] } } },
    });
  });
});
