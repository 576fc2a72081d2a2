// A list with `deliverAt: "08:00"` on the emulators (DynamoDB, SQS, SES), its waves woken by one-time
// Scheduler schedules (the stand-in holds them): publishing sends nothing and plans one wave per distinct
// local 08:00; each wave, woken twice at once at its time (the reconcile function's `{ fireScheduled }`, or
// the plan function's `{ editionId, wave }` for one of them), sends each of its readers one message and
// nobody else; a reader who moves zone after planning still gets exactly one, in the wave planned.
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exampleConfigInput from '../../../examples/tidings.config.ts';
import { SchedulerSendTimer, scheduleName } from '../../../functions/adapters/aws/scheduler-send-timer.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { validateConfig } from '../../../functions/core/config/validate.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makePlanHandler } from '../../../functions/handlers/plan.ts';
import { makeReconcileHandler } from '../../../functions/handlers/reconcile.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { Subscriber } from '../../../functions/ports/subscriber-store.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { aPost } from '../../helpers/factories.ts';
import { useSchedulerStandIn } from '../../helpers/scheduler-stand-in.ts';
import { standInClientConfig } from '../../helpers/stand-ins.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

const scheduler = useSchedulerStandIn();
const GROUP = 'Tidings-sends';
// 05:00 UTC on 10 June 2026: 07:00 in Berlin (CEST), 14:00 in Tokyo and Seoul, 01:00 in New York (EDT),
// 02:00 in São Paulo (the list's zone, for readers with none).
let now = new Date('2026-06-10T05:00:00.000Z');
let stack: LocalStack;

const config = validateConfig(
  {
    ...exampleConfigInput,
    lists: exampleConfigInput.lists.map((l) =>
      l.id === 'podcast' ? { ...l, deliverAt: '08:00', timeZone: 'America/Sao_Paulo' } : l,
    ),
  },
  'test config',
);

const [tokyo, seoul, berlin, newYork, unknown, mover] = manySubscribers(6, 'podcast', 'instant', 0, 'wave');
const zoned = (s: Subscriber | undefined, timeZone?: string): Subscriber => {
  if (!s) throw new Error('no reader');
  return timeZone ? { ...s, timeZone } : s;
};
const readers = [
  zoned(tokyo, 'Asia/Tokyo'),
  zoned(seoul, 'Asia/Seoul'),
  zoned(berlin, 'Europe/Berlin'),
  zoned(newYork, 'America/New_York'),
  zoned(unknown),
  zoned(mover, 'Europe/Berlin'),
];
const emailOf = (s: Subscriber | undefined) => s?.email ?? '?';

beforeAll(async () => {
  stack = await aLocalStack({
    config,
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: { now: () => now } }),
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

/** How many messages each reader has, in the order of `readers`. */
const counts = async () => {
  const box = await mailbox(stack);
  return readers.map((r) => box.countFor(r.email));
};

describe('a list that delivers at 08:00 local time', () => {
  it('plans one wave per local 08:00, and each wave, woken twice, sends its readers one message and nobody else', async () => {
    // Prepare
    const reconcile = makeReconcileHandler(async () => stack.app, quietObservability());
    const plan = makePlanHandler(async () => stack.app, quietObservability());
    const post = aPost({ id: 'wave-post', slug: 'wave-post', title: 'Morning edition', lists: ['podcast'] });

    // Act: publish; then the mover goes to Tokyo, after their wave was decided.
    const published = await stack.app.publish(post);
    await stack.runner.drain();
    const afterPublish = await counts();
    const outcome = published.lists.find((l) => l.listId === 'podcast');
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    await stack.adapters.subscribers.put({ ...zoned(mover, 'Asia/Tokyo'), updatedAt: now.toISOString() });
    const planned = await stack.app.status(editionId);

    // Each wave at its time, woken twice at once; the New York wave through the plan function's event.
    const perWave: number[][] = [];
    for (const wave of planned.waves ?? []) {
      now = new Date(wave.at);
      const target = scheduler.state.schedules.get(`${GROUP}/${scheduleName(wave.id)}`)?.Target as
        | { Input: string }
        | undefined;
      const input = JSON.parse(target?.Input ?? '{}') as { fireScheduled: string };
      if (wave.zones.includes('America/New_York')) {
        const send = await stack.app.scheduled.list().then((all) => all.find((s) => s.id === wave.id));
        const event = { editionId, wave: { id: wave.id, ...send?.wave } };
        await Promise.all([plan(event), plan(event)]);
        await stack.app.scheduled.fire(wave.id); // its timer too: still exactly once
      } else {
        await Promise.all([reconcile(input), reconcile(input)]);
      }
      await stack.runner.drain();
      perWave.push(await counts());
    }
    const done = await stack.app.status(editionId);

    // Assess: nothing at publish; four waves, soonest first.
    expect(afterPublish).toEqual([0, 0, 0, 0, 0, 0]);
    expect(planned.waves?.map((w) => [w.at, w.readers, w.zones, w.state])).toEqual([
      ['2026-06-10T06:00:00.000Z', 2, ['Europe/Berlin'], 'pending'],
      ['2026-06-10T11:00:00.000Z', 1, ['America/Sao_Paulo'], 'pending'],
      ['2026-06-10T12:00:00.000Z', 1, ['America/New_York'], 'pending'],
      ['2026-06-10T23:00:00.000Z', 2, ['Asia/Seoul', 'Asia/Tokyo'], 'pending'],
    ]);
    expect(planned.counters.planned).toBe(6);
    expect(planned.complete).toBe(false);
    // Every wave has its own one-time schedule at its instant.
    expect(
      (planned.waves ?? []).map(
        (w) => scheduler.state.schedules.get(`${GROUP}/${scheduleName(w.id)}`)?.ScheduleExpression,
      ),
    ).toEqual([
      'at(2026-06-10T06:00:00)',
      'at(2026-06-10T11:00:00)',
      'at(2026-06-10T12:00:00)',
      'at(2026-06-10T23:00:00)',
    ]);
    // readers: tokyo, seoul, berlin, new york, unknown (São Paulo), mover (Berlin when planned)
    expect(perWave).toEqual([
      [0, 0, 1, 0, 0, 1],
      [0, 0, 1, 0, 1, 1],
      [0, 0, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1],
    ]);
    const box = await mailbox(stack);
    expect(box.all.map((m) => m.subject).every((s) => s.includes('Morning edition'))).toBe(true);
    expect(box.countFor(emailOf(mover))).toBe(1);
    expect(done.waves?.map((w) => w.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(done.counters.sent).toBe(6);
    expect(done.complete).toBe(true);
    expect(await stack.app.scheduled.list()).toEqual([]);
  });

  it('publishing the same post again plans no new waves and sends nothing more', async () => {
    const again = await stack.app.publish(
      aPost({ id: 'wave-post', slug: 'wave-post', title: 'Morning edition', lists: ['podcast'] }),
    );
    await stack.runner.drain();
    expect(again.lists.find((l) => l.listId === 'podcast')?.action).toBe('already-sent');
    expect(await stack.app.scheduled.list()).toEqual([]);
    expect(await counts()).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
