import { createHash } from 'node:crypto';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { TidingsError } from '../../core/errors.ts';
import type { SendTimer } from '../../ports/send-timer.ts';

/** Where the one-time schedules go and what they invoke (infra/constructs/send-timers.ts makes them). */
export interface SchedulerSendTimerOptions {
  readonly client: SchedulerClient;
  /** The schedule group the stack created for scheduled sends. */
  readonly groupName: string;
  /** The function a schedule invokes with `{ fireScheduled: id }` (the reconcile function). */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it (lambda:InvokeFunction on that function only). */
  readonly roleArn: string;
}

/** Retries of a failed invoke, within an hour; after that the reconcile pass (every 5 minutes) sends it. */
const RETRY_POLICY = { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3_600 } as const;

/**
 * The schedule name of send `id`: schedule names allow `[0-9a-zA-Z-_.]`, 64 characters at most, and a post
 * id may hold anything. A readable part, then a hash of the whole id so two ids never share a name.
 *
 * @example scheduleName('2026/launch day') // 'send-2026-launch-day-<12 hex>'
 */
export function scheduleName(id: string): string {
  const readable = id.replace(/[^0-9A-Za-z_.-]+/g, '-').slice(0, 40);
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return `send-${readable}-${hash}`;
}

/**
 * Scheduler's one-time expression, `at(yyyy-mm-ddThh:mm:ss)`, in UTC. It has whole seconds: a time with
 * milliseconds is rounded up, so the schedule never fires before the send is due.
 */
export function atExpression(at: string): string {
  const ms = Math.ceil(Date.parse(at) / 1000) * 1000;
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

/**
 * One one-time EventBridge Scheduler schedule per scheduled send: `at(...)` in UTC, no flexible window,
 * deleted by Scheduler once it has run. Setting the timer of a send that has one already (an edited post,
 * a new time) replaces that schedule. SDK failures become SEND_TIMER_FAILED.
 */
export class SchedulerSendTimer implements SendTimer {
  readonly #options: SchedulerSendTimerOptions;

  constructor(options: SchedulerSendTimerOptions) {
    this.#options = options;
  }

  async set(id: string, at: string): Promise<void> {
    const { client, groupName, targetArn, roleArn } = this.#options;
    const input: CreateScheduleCommandInput = {
      Name: scheduleName(id),
      GroupName: groupName,
      Description: `tidings: the scheduled send of ${id.slice(0, 400)}`,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: targetArn,
        RoleArn: roleArn,
        Input: JSON.stringify({ fireScheduled: id }),
        RetryPolicy: RETRY_POLICY,
      },
    };
    try {
      try {
        await client.send(new CreateScheduleCommand(input));
      } catch (error) {
        // It exists: the post was scheduled before. UpdateSchedule replaces every field.
        if ((error as Error).name !== 'ConflictException') throw error;
        await client.send(new UpdateScheduleCommand(input));
      }
    } catch (error) {
      throw new TidingsError(
        'SEND_TIMER_FAILED',
        `${id}: the schedule of its send at ${at} could not be set (${(error as Error).message}); the send is stored and the reconcile pass sends it within 5 minutes of its time`,
        { cause: error },
      );
    }
  }

  async clear(id: string): Promise<void> {
    const { client, groupName } = this.#options;
    try {
      await client.send(new DeleteScheduleCommand({ Name: scheduleName(id), GroupName: groupName }));
    } catch (error) {
      // Already gone: it fired (Scheduler deletes it after running) or was never set.
      if ((error as Error).name === 'ResourceNotFoundException') return;
      throw new TidingsError(
        'SEND_TIMER_FAILED',
        `${id}: its schedule could not be deleted (${(error as Error).message}); the send is cancelled, and the schedule, if it fires, sends nothing`,
        { cause: error },
      );
    }
  }
}

/** The timer of the functions that schedule sends on AWS, from the names the stack sets. */
export function schedulerSendTimer(
  options: Omit<SchedulerSendTimerOptions, 'client'> & { readonly region: string },
): SendTimer {
  const { region, ...rest } = options;
  return new SchedulerSendTimer({ client: new SchedulerClient({ region }), ...rest });
}
