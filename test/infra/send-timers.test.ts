import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEND_TIMER_ACTIONS, SendTimers } from '../../infra/constructs/send-timers.ts';
import { actions, freshStack, type Statement } from './helpers.ts';

/** The construct on a fresh stack, with a stand-in target and publish function. */
function build() {
  const stack = freshStack();
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
  const target = fn('Reconcile');
  const publish = fn('Publish');
  const timers = new SendTimers(stack, 'SendTimers', { target });
  timers.grantScheduling(publish);
  const template = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as lambda.CfnFunction);
  const statementsOfRole = (roleId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  return {
    template,
    targetId: id(target),
    groupId: id(timers.group),
    groupName: String(
      Object.values(template.findResources('AWS::Scheduler::ScheduleGroup'))[0]?.Properties.Name,
    ),
    roleId: id(timers.role),
    publishRoleId: stack.getLogicalId(publish.role?.node.defaultChild as lambda.CfnFunction),
    statementsOfRole,
  };
}

describe('SendTimers', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    // Prepare + Act: one synthesis for every assertion.
    built = build();
  });

  it('creates one schedule group for the scheduled sends', () => {
    built.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('lets Scheduler (from this account only) assume a role that may invoke only the target function', () => {
    built.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
      },
    });
    expect(built.statementsOfRole(built.roleId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [built.targetId, 'Arn'] },
      },
    ]);
  });

  it('lets the publishing function create and update only the group’s schedules (never delete), and pass only that role only to Scheduler', () => {
    const statements = built.statementsOfRole(built.publishRoleId);
    // Assess
    const schedules = statements.find((s) => actions(s).includes('scheduler:CreateSchedule'));
    expect(actions(schedules as Statement).sort()).toEqual([...SEND_TIMER_ACTIONS].sort());
    expect(schedules?.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:scheduler:eu-west-1:123456789012:schedule/${built.groupName}/*`,
        ],
      ],
    });
    const pass = statements.find((s) => actions(s).includes('iam:PassRole'));
    expect(pass).toEqual({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [built.roleId, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    expect(
      statements
        .flatMap(actions)
        .filter((a) => /^(scheduler|iam):/.test(a))
        .sort(),
    ).toEqual(['iam:PassRole', ...SEND_TIMER_ACTIONS].sort());
  });

  it('names the group, the target and the role in the publishing function’s environment', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TIDINGS_SEND_TIMER_GROUP: built.groupName,
          TIDINGS_SEND_TIMER_TARGET_ARN: { 'Fn::GetAtt': [built.targetId, 'Arn'] },
          TIDINGS_SEND_TIMER_ROLE_ARN: { 'Fn::GetAtt': [built.roleId, 'Arn'] },
        },
      },
    });
  });
});
