// A scheduled send on a stack whose scheduling sets one-time Scheduler schedules (the stand-in holds
// them): the reconcile handler, invoked with the Input its schedule holds, publishes that send once at its
// time on the emulators — invoked early it waits, invoked twice at once or again later it sends nothing
// more, and a cancelled send's schedule is deleted.
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerSendTimer, scheduleName } from '../../../functions/adapters/aws/scheduler-send-timer.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makeReconcileHandler } from '../../../functions/handlers/reconcile.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { useSchedulerStandIn } from '../../helpers/scheduler-stand-in.ts';
import { standInClientConfig } from '../../helpers/stand-ins.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

const scheduler = useSchedulerStandIn();
const GROUP = 'Tidings-sends';
let now = new Date('2026-12-01T08:00:00.000Z');
let stack: LocalStack;
const readers = manySubscribers(3, 'podcast', 'instant', 0, 'timer');

beforeAll(async () => {
  stack = await aLocalStack({
    wiring: {
      clock: { now: () => now },
      sendTimer: new SchedulerSendTimer({
        client: new SchedulerClient(standInClientConfig(scheduler.url())),
        groupName: GROUP,
        targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Tidings-reconcile',
        roleArn: 'arn:aws:iam::123456789012:role/Tidings-send-timer',
      }),
    },
  });
  await seed(stack, readers);
});
afterAll(async () => {
  await stack?.stop();
});

describe('a scheduled send woken by its own schedule (reconcile function, { fireScheduled })', () => {
  it('goes out once at its time, even woken twice at once; a cancelled one loses its schedule and sends nothing', async () => {
    // Prepare
    const handler = makeReconcileHandler(async () => stack.app, quietObservability());
    const post = (id: string) => aPost({ id, slug: id, title: `Timer ${id}`, lists: ['podcast'] });
    await stack.app.scheduled.add(post('timer-a'), '2026-12-01T10:00:00+01:00');
    await stack.app.scheduled.add(post('timer-b'), '2026-12-01T10:00:00+01:00');
    await stack.app.scheduled.cancel('timer-b');
    const held = [...scheduler.state.schedules.entries()];
    const target = held[0]?.[1].Target as { Input: string } | undefined;
    const input = JSON.parse(target?.Input ?? '{}') as { fireScheduled: string };

    // Act: woken early (a stale schedule) it waits; at its time, twice at once; then once more.
    const early = await handler(input);
    now = new Date('2026-12-01T09:00:00.000Z');
    const both = await Promise.all([handler(input), handler(input)]);
    await stack.runner.drain();
    const again = await handler(input);
    await stack.runner.drain();

    // Assess
    expect(held.map(([key, s]) => [key, s.ScheduleExpression])).toEqual([
      [`${GROUP}/${scheduleName('timer-a')}`, 'at(2026-12-01T09:00:00)'],
    ]);
    expect(scheduler.state.calls.filter((c) => c.method === 'DELETE').map((c) => c.name)).toEqual([
      scheduleName('timer-b'),
    ]);
    expect(input).toEqual({ fireScheduled: 'timer-a' });
    expect(early).toEqual({ id: 'timer-a', skipped: 'not-due' });
    expect(both.some((b) => 'result' in b)).toBe(true);
    expect(again).toEqual({ id: 'timer-a', skipped: 'gone' });
    const box = await mailbox(stack);
    const subjects = box.all.map((m) => m.subject);
    expect(readers.map((r) => box.countFor(r.email))).toEqual([1, 1, 1]);
    expect(subjects.filter((s) => s.includes('timer-b'))).toEqual([]);
    expect(subjects.filter((s) => s.includes('Timer timer-a')).length).toBe(3);
    expect(await stack.app.scheduled.list()).toEqual([]);
  });
});
