import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { LambdaEnv } from '../../functions/adapters/aws/lambda-env.ts';
import { acknowledge } from './nag.ts';

/**
 * The actions a function that schedules sends holds, on the group's schedules only. No DeleteSchedule: no
 * function cancels a send (`tidings scheduled cancel` does, with the operator's credentials), and Scheduler
 * deletes a schedule itself after its run (ActionAfterCompletion: DELETE).
 */
export const SEND_TIMER_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'] as const;

export interface SendTimersProps {
  /**
   * The function each scheduled send's one-time schedule invokes with `{ fireScheduled: id }` (the
   * reconcile function: it fires that one send through the same exactly-once path as its 5-minute pass).
   */
  readonly target: lambda.IFunction;
}

/**
 * The one-time EventBridge Scheduler schedules of scheduled sends (`publish --at`, front matter `sendAt`):
 * their schedule group, and the role Scheduler assumes to run them, allowed to invoke only the target
 * function. The functions that schedule sends get `grantScheduling`: create and update schedules of this
 * group only, and pass this role only to Scheduler.
 */
export class SendTimers extends Construct {
  public readonly group: scheduler.ScheduleGroup;
  /** The role the schedules run as: lambda:InvokeFunction on the target function, nothing else. */
  public readonly role: iam.Role;
  public readonly target: lambda.IFunction;
  /** The ARNs of this group's schedules (`…:schedule/<group>/*`). */
  public readonly scheduleArns: string;

  constructor(scope: Construct, id: string, props: SendTimersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.target = props.target;
    // Stateless: a waiting send lives in the table; redeploying the group loses only timers, and the
    // reconcile pass sends what they would have woken.
    this.group = new scheduler.ScheduleGroup(this, 'Group');
    this.role = new iam.Role(this, 'Role', {
      description: 'EventBridge Scheduler: runs the one-time schedules of scheduled sends',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.target.functionArn] }),
    );
    this.scheduleArns = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
    });
  }

  /**
   * Lets `fn` set and move the group's schedules (and pass the role to Scheduler only), and names
   * the group, target and role in its environment (wiring/lambda-core.ts reads them).
   */
  grantScheduling(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...SEND_TIMER_ACTIONS], resources: [this.scheduleArns] }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment(LambdaEnv.SendTimerGroup, this.group.scheduleGroupName);
    fn.addEnvironment(LambdaEnv.SendTimerTargetArn, this.target.functionArn);
    fn.addEnvironment(LambdaEnv.SendTimerRoleArn, this.role.roleArn);
    if (fn.role) {
      // cdk-nag names the resource as synthesized: the group's generated name inside the ARN.
      acknowledge(
        fn.role,
        `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this).resolve(this.scheduleArns))}]`,
        'Schedules are named per scheduled send at run time; the statement covers only the schedules of the scheduled sends’ own group.',
      );
    }
  }
}

/** A resolved ARN as cdk-nag writes it in a finding: `{ Ref: X }` becomes `<X>`, joins are flattened. */
function nagArn(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const value = resolved as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(nagArn).join(value['Fn::Join'][0]);
  return JSON.stringify(resolved);
}
