import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { TidingsSchedules, type TidingsSchedulesProps } from '../../infra/constructs/tidings-schedules.ts';
import { exampleConfig, freshStack } from './helpers.ts';

const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

/** The construct on a fresh stack, with stand-in functions; returns the template and the functions' ids. */
function build(props: Pick<TidingsSchedulesProps, 'lists'> & Partial<TidingsSchedulesProps>) {
  const stack = freshStack();
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
  const digest = fn('Digest');
  const reconcile = fn('Reconcile');
  const pollFeeds = fn('PollFeeds');
  new TidingsSchedules(stack, 'Schedules', { digest, reconcile, pollFeeds, ...props });
  return {
    template: Template.fromStack(stack),
    arn: (f: lambda.Function) => arnOf(stack, f),
    digest,
    reconcile,
    pollFeeds,
  };
}

function arnOf(stack: Stack, fn: lambda.Function): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] };
}

function schedules(template: Template) {
  return Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (r) =>
      r.Properties as {
        ScheduleExpression: string;
        ScheduleExpressionTimezone?: string;
        Target: { Arn: unknown; Input: string; RetryPolicy: { MaximumRetryAttempts: number } };
      },
  );
}

describe('TidingsSchedules', () => {
  let config: Config;

  beforeAll(async () => {
    config = await exampleConfig();
  });

  it('schedules each list’s daily and weekly digest with its cron and timezone, retried 3 times', () => {
    // Prepare + Act
    const built = build({ lists: config.lists, feeds: config.feeds });
    // Assess
    const digests = schedules(built.template).filter(
      (s) => JSON.stringify(s.Target.Arn) === JSON.stringify(built.arn(built.digest)),
    );
    const expected = config.lists.flatMap((l) =>
      (['daily', 'weekly'] as const).map((cadence) => ({
        expression: l.digest[cadence],
        timezone: l.digest.timezone,
        input: { listId: l.id, cadence, scheduledTime: SCHEDULED_TIME },
        retries: 3,
      })),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(
      digests.map((s) => ({
        expression: s.ScheduleExpression,
        timezone: s.ScheduleExpressionTimezone,
        input: JSON.parse(s.Target.Input),
        retries: s.Target.RetryPolicy.MaximumRetryAttempts,
      })),
    ).toEqual(expect.arrayContaining(expected));
    expect(digests).toHaveLength(expected.length);
  });

  it('reconciles every 5 minutes with the scheduled time as the event, and no retries (the next run catches up)', () => {
    const built = build({ lists: config.lists });
    const reconcile = schedules(built.template).filter(
      (s) => JSON.stringify(s.Target.Arn) === JSON.stringify(built.arn(built.reconcile)),
    );
    expect(reconcile).toHaveLength(1);
    expect(reconcile[0]?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.parse(reconcile[0]?.Target.Input ?? '')).toEqual({ scheduledTime: SCHEDULED_TIME });
    expect(reconcile[0]?.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('polls each configured feed on its own schedule, without retries', () => {
    expect(config.feeds.length).toBeGreaterThan(0);
    const built = build({ lists: config.lists, feeds: config.feeds });
    const polls = schedules(built.template).filter(
      (s) => JSON.stringify(s.Target.Arn) === JSON.stringify(built.arn(built.pollFeeds)),
    );
    expect(polls.map((s) => s.ScheduleExpression)).toEqual(config.feeds.map((f) => f.schedule));
    expect(polls.map((s) => JSON.parse(s.Target.Input))).toEqual(
      config.feeds.map((f) => ({ feedId: f.id, scheduledTime: SCHEDULED_TIME })),
    );
    for (const s of polls) expect(s.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('polls nothing without feeds, and gives the scheduler no way to invoke the poller', () => {
    const built = build({ lists: config.lists });
    const arn = JSON.stringify(built.arn(built.pollFeeds));
    expect(schedules(built.template).filter((s) => JSON.stringify(s.Target.Arn) === arn)).toEqual([]);
    expect(JSON.stringify(built.template.findResources('AWS::IAM::Policy'))).not.toContain(arn.slice(1, -1));
  });

  it('lets each schedule’s role invoke only its own function', () => {
    const built = build({ lists: config.lists, feeds: config.feeds });
    for (const fn of [built.digest, built.reconcile, built.pollFeeds]) {
      built.template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'lambda:InvokeFunction',
              Resource: [built.arn(fn), { 'Fn::Join': ['', [built.arn(fn), ':*']] }],
            }),
          ],
        },
      });
    }
  });
});
