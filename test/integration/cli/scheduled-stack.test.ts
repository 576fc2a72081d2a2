import { describe, expect, it } from 'vitest';
import { scheduleName } from '../../../functions/adapters/aws/scheduler-send-timer.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { STACK_SEND_TIMERS, useStackCli } from '../../helpers/stand-ins.ts';

// Send later against a deployed stack: `publish --at` writes the waiting send to the table the stack's
// outputs name (dynalite here) and gives it its one-time schedule (the Scheduler stand-in), `scheduled`
// lists it, `scheduled cancel` takes it away and deletes its schedule.
const env = useEmulators();
const tidings = useStackCli(env);

describe('tidings publish --at, scheduled, scheduled cancel (--stack)', () => {
  it('schedules a post in the deployed table with its one-time schedule, lists it, and cancels both', async () => {
    // Prepare
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const key = `${STACK_SEND_TIMERS.group}/${scheduleName('short-note')}`;

    // Act
    const scheduled = await tidings(
      'publish',
      'examples/posts/short-note.md',
      '--at',
      at,
      '--stack',
      'Tidings',
    );
    const schedule = tidings.scheduler.state.schedules.get(key);
    const listed = await tidings('scheduled', '--stack', 'Tidings', '--json');
    const cancelled = await tidings('scheduled', 'cancel', 'short-note', '--stack', 'Tidings');
    const after = await tidings('scheduled', '--stack', 'Tidings');
    const again = await tidings('scheduled', 'cancel', 'short-note', '--stack', 'Tidings');

    // Assess
    expect(scheduled.stderr).toBe('');
    expect(scheduled.stdout).toMatch(/^A note on our new schedule \(short-note\): scheduled for \d{4}-/);
    expect(JSON.parse(listed.stdout).scheduled).toMatchObject([
      {
        id: 'short-note',
        state: 'waiting',
        title: 'A note on our new schedule',
        at: new Date(at).toISOString(),
      },
    ]);
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${at.slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: STACK_SEND_TIMERS.targetArn,
        RoleArn: STACK_SEND_TIMERS.roleArn,
        Input: '{"fireScheduled":"short-note"}',
      },
    });
    expect(cancelled.stdout).toBe('short-note: cancelled; nothing was sent\n');
    expect(tidings.scheduler.state.schedules.has(key)).toBe(false);
    expect(after.stdout).toBe(
      'nothing is scheduled: `tidings publish <post.md> --at <time>` schedules a post\n',
    );
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(
      'tidings: no send is scheduled for "short-note"; `tidings scheduled` lists the waiting ones',
    );
  }, 120_000);

  it('refuses a time that has passed, in one line, before it connects to anything', async () => {
    const run = await tidings(
      'publish',
      'examples/posts/short-note.md',
      '--at',
      '2020-01-01T00:00:00Z',
      '--stack',
      'Nowhere',
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^tidings: --at 2020-01-01T00:00:00Z: that time has passed \(it is .+ now\); publish without it to send now$/,
    );
  });
});
