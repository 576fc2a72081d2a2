// The scheduled sends' one-time EventBridge Scheduler schedules, through the real SDK client against the
// Scheduler stand-in (no emulator exists): what each call asks of the service. What a schedule's run does
// is in test/integration/delivery/scheduled-send-timer.test.ts.
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  atExpression,
  SchedulerSendTimer,
  scheduleName,
} from '../../../functions/adapters/aws/scheduler-send-timer.ts';
import { useSchedulerStandIn } from '../../helpers/scheduler-stand-in.ts';
import { standInClientConfig } from '../../helpers/stand-ins.ts';

const scheduler = useSchedulerStandIn();
beforeEach(() => scheduler.reset());

const GROUP = 'Tidings-sends';
const TARGET = 'arn:aws:lambda:eu-west-1:123456789012:function:Tidings-reconcile';
const ROLE = 'arn:aws:iam::123456789012:role/Tidings-send-timer';
const timer = () =>
  new SchedulerSendTimer({
    client: new SchedulerClient(standInClientConfig(scheduler.url())),
    groupName: GROUP,
    targetArn: TARGET,
    roleArn: ROLE,
  });

describe('SchedulerSendTimer', () => {
  it('creates a one-time UTC schedule in the group that invokes the target with the send id, deleted after its run', async () => {
    // Act
    await timer().set('ep-9', '2026-12-01T09:30:00.000Z');

    // Assess
    expect([...scheduler.state.schedules.keys()]).toEqual([`${GROUP}/${scheduleName('ep-9')}`]);
    expect(scheduler.state.calls[0]?.body).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: 'at(2026-12-01T09:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: TARGET, RoleArn: ROLE, Input: '{"fireScheduled":"ep-9"}' },
    });
  });

  it('moves an existing schedule to the new time instead of adding a second one', async () => {
    // Act
    await timer().set('ep-9', '2026-12-01T09:30:00.000Z');
    await timer().set('ep-9', '2026-12-02T07:00:00.000Z');

    // Assess
    expect(scheduler.state.calls.map((c) => c.method)).toEqual(['POST', 'POST', 'PUT']);
    expect([...scheduler.state.schedules.values()].map((s) => s.ScheduleExpression)).toEqual([
      'at(2026-12-02T07:00:00)',
    ]);
  });

  it('deletes the schedule, and takes one already gone as done', async () => {
    // Act
    await timer().set('ep-9', '2026-12-01T09:30:00.000Z');
    await timer().clear('ep-9');
    await timer().clear('ep-9');

    // Assess
    expect(scheduler.state.schedules.size).toBe(0);
    expect(scheduler.state.calls.map((c) => `${c.method} ${c.group}/${c.name}`)).toEqual([
      `POST ${GROUP}/${scheduleName('ep-9')}`,
      `DELETE ${GROUP}/${scheduleName('ep-9')}`,
      `DELETE ${GROUP}/${scheduleName('ep-9')}`,
    ]);
  });

  it('says in one line which send has no schedule when the service refuses', async () => {
    // Prepare: a target the stand-in does not speak to (nothing listens on port 9).
    const broken = new SchedulerSendTimer({
      client: new SchedulerClient(standInClientConfig('http://127.0.0.1:9')),
      groupName: GROUP,
      targetArn: TARGET,
      roleArn: ROLE,
    });

    // Act + Assess
    await expect(broken.set('ep-9', '2026-12-01T09:30:00.000Z')).rejects.toMatchObject({
      code: 'SEND_TIMER_FAILED',
      message: expect.stringMatching(
        /^ep-9: the schedule of its send at 2026-12-01T09:30:00.000Z could not be set \(.+\); the send is stored and the reconcile pass sends it within 5 minutes of its time$/,
      ),
    });
  });

  it('names a schedule within Scheduler’s rules for any post id, and never fires before the time', () => {
    const names = ['ep-9', 'a/b c', 'x'.repeat(300), 'été'].map(scheduleName);
    for (const name of names) expect(name).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    expect(new Set(names).size).toBe(4);
    expect(scheduleName('a/b')).not.toBe(scheduleName('a b'));
    expect(atExpression('2026-12-01T09:30:00.250Z')).toBe('at(2026-12-01T09:30:01)');
  });
});
