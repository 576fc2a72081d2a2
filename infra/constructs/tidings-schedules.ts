import { Stack, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { Config } from '../../functions/core/config/schema.ts';
import { acknowledge } from './nag.ts';

/** How often stale claims are reconciled; a claim is stale after 15 minutes (DEFAULT_RECONCILE_WINDOW_MS). */
export const RECONCILE_SCHEDULE = 'rate(5 minutes)';

/** The digest cadences each list is scheduled for. */
export const DIGEST_CADENCES = ['daily', 'weekly'] as const;

export interface TidingsSchedulesProps {
  /** Builds a list's digest; invoked with `{ listId, cadence, scheduledTime }`. */
  readonly digest: lambda.IFunction;
  /** Reconciles stale claims; invoked with `{ scheduledTime }` every 5 minutes. */
  readonly reconcile: lambda.IFunction;
  /** Polls one feed; invoked with `{ feedId, scheduledTime }`. */
  readonly pollFeeds: lambda.IFunction;
  /** Each list's digest crons and timezone (config.lists). */
  readonly lists: Config['lists'];
  /** The feeds to poll, each on its own schedule (config.feeds). @default - no feed is polled */
  readonly feeds?: Config['feeds'];
}

/**
 * The EventBridge Scheduler schedules: each list's daily and weekly digest (in the list's timezone), the
 * reconcile run every 5 minutes, and one poll per feed. Each passes the scheduled time, so a retried or late
 * run works on the period it was meant for.
 */
export class TidingsSchedules extends Construct {
  public readonly digests: readonly scheduler.Schedule[];
  public readonly reconcile: scheduler.Schedule;
  public readonly polls: readonly scheduler.Schedule[];

  constructor(scope: Construct, id: string, props: TidingsSchedulesProps) {
    super(scope, id);
    const feeds = props.feeds ?? [];

    this.acknowledgeSchedulerRole(props.digest);
    this.digests = props.lists.flatMap((list) =>
      DIGEST_CADENCES.map(
        (cadence) =>
          new scheduler.Schedule(this, `Digest-${list.id}-${cadence}`, {
            description: `${cadence} digest of list ${list.id}`,
            schedule: scheduler.ScheduleExpression.expression(
              list.digest[cadence],
              TimeZone.of(list.digest.timezone),
            ),
            target: new schedulerTargets.LambdaInvoke(props.digest, {
              input: scheduler.ScheduleTargetInput.fromObject({
                listId: list.id,
                cadence,
                scheduledTime: scheduler.ContextAttribute.scheduledTime,
              }),
              retryAttempts: 3,
            }),
          }),
      ),
    );

    this.acknowledgeSchedulerRole(props.reconcile);
    this.reconcile = new scheduler.Schedule(this, 'ReconcileSchedule', {
      description: 'reconcile stale delivery claims of the editions not yet complete',
      schedule: scheduler.ScheduleExpression.expression(RECONCILE_SCHEDULE),
      target: new schedulerTargets.LambdaInvoke(props.reconcile, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        // The next run, five minutes later, does the same work.
        retryAttempts: 0,
      }),
    });

    if (feeds.length > 0) this.acknowledgeSchedulerRole(props.pollFeeds);
    this.polls = feeds.map(
      (feed) =>
        new scheduler.Schedule(this, `Poll-${feed.id}`, {
          description: `poll feed ${feed.id} (${feed.url})`,
          schedule: scheduler.ScheduleExpression.expression(feed.schedule),
          target: new schedulerTargets.LambdaInvoke(props.pollFeeds, {
            input: scheduler.ScheduleTargetInput.fromObject({
              feedId: feed.id,
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
            }),
            // A missed poll is caught up by the next one; retrying would only pile up on a failing feed.
            retryAttempts: 0,
          }),
        }),
    );
  }

  /**
   * EventBridge Scheduler's LambdaInvoke target grants its role `<function ARN>:*` (versions and aliases of
   * that one function). The role is CDK's, created in the stack scope, so the finding is acknowledged there.
   */
  private acknowledgeSchedulerRole(fn: lambda.IFunction): void {
    const stack = Stack.of(this);
    const logicalId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)) as string;
    acknowledge(
      stack,
      `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      `The scheduler's role may invoke only the ${fn.node.id} function; the :* suffix covers that function's versions and aliases, nothing else.`,
    );
  }
}
