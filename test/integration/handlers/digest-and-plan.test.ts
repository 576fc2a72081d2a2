import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDigestHandler } from '../../../functions/handlers/digest.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makePlanHandler } from '../../../functions/handlers/plan.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { localApp } from '../../../functions/wiring/local.ts';
import { aPost, aSubscriber } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, seed } from '../delivery/stack.ts';

// The digest and plan functions on the emulators, with the events they receive on AWS: the digest
// function gets the EventBridge Scheduler input of its list's schedule (infra/stacks/stateless-stack.ts:
// `{ listId, cadence, scheduledTime }`), the plan function an async invoke `{ editionId }`. Sending goes
// through the local runner and the real send handler.

let stack: LocalStack;
const at = '2026-01-05T10:00:00.000Z';
const member = (cadence: 'instant' | 'daily' | 'weekly') => ({
  status: 'subscribed' as const,
  cadence,
  updatedAt: at,
  consent: { at, method: 'double-opt-in', source: 'https://news.example.com/subscribe' },
});

beforeAll(async () => {
  stack = await aLocalStack();
  await seed(stack, [
    aSubscriber({ id: 's_wes', email: 'wes@example.org', lists: { essays: member('weekly') } }),
    aSubscriber({ id: 's_wil', email: 'wil@example.org', lists: { essays: member('weekly') } }),
    aSubscriber({ id: 's_dai', email: 'dai@example.org', lists: { essays: member('daily') } }),
    aSubscriber({ id: 's_ian', email: 'ian@example.org', lists: { essays: member('instant') } }),
    aSubscriber({ id: 's_pod', email: 'pod@example.org', lists: { podcast: member('instant') } }),
  ]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the digest handler', () => {
  it('sends the weekly digest of new essays to the weekly readers only when its schedule fires, then nothing new', async () => {
    // Prepare: two essays that go out in digests only
    for (const [id, date] of [
      ['essay-a', '2026-11-01T08:00:00Z'],
      ['essay-b', '2026-11-02T08:00:00Z'],
    ] as const) {
      await stack.app.publish(aPost({ id, slug: id, title: id, lists: ['essays'], send: 'digest', date }));
    }
    await stack.runner.drain();
    const handler = makeDigestHandler(async () => stack.app, quietObservability());
    // What the schedule `Digest-essays-weekly` sends: ScheduleTargetInput with <aws.scheduler.scheduled-time>
    const fired = { listId: 'essays', cadence: 'weekly', scheduledTime: '2026-11-07T12:00:00Z' };

    // Act
    const first = await handler(fired);
    await stack.runner.drain();
    const second = await handler({ ...fired, scheduledTime: '2026-11-14T12:00:00Z' });
    await stack.runner.drain();

    // Assess: one digest to each weekly reader; the daily, instant and podcast readers got nothing
    expect(first).toMatchObject({ action: 'planned', enqueued: 2 });
    const box = await mailbox(stack);
    const digest = box.all.filter((m) => m.tags.edition === first.editionId);
    expect(digest.map((m) => m.destinations).sort()).toEqual([['wes@example.org'], ['wil@example.org']]);
    for (const email of ['dai@example.org', 'ian@example.org', 'pod@example.org']) {
      expect(box.countFor(email)).toBe(0);
    }
    expect(second).toEqual({ action: 'nothing-new' });
    expect((await stack.adapters.cursors.get('essays', 'weekly'))?.postIds?.slice().sort()).toEqual([
      'essay-a',
      'essay-b',
    ]);
  });

  it('refuses a payload that is not a schedule’s, and sends nothing', async () => {
    // Prepare
    const handler = makeDigestHandler(async () => stack.app, quietObservability());
    const before = (await mailbox(stack)).all.length;
    // Act + Assess
    await expect(handler({ listId: 'essays', cadence: 'monthly' })).rejects.toThrow(/cadence/);
    await expect(handler({ cadence: 'weekly' })).rejects.toThrow(/listId/);
    expect((await mailbox(stack)).all.length).toBe(before);
  });
});

describe('the plan handler', () => {
  it('fans out an edition handed to it as { editionId } once, even when the async invoke is retried', async () => {
    // Prepare: publish records the edition and hands it to the plan function instead of planning it here
    const handedOff: string[] = [];
    const publisher = localApp(stack.info, {
      config: stack.app.config,
      clients: stack.clients,
      planTrigger: { start: async (editionId) => void handedOff.push(editionId) },
    }).app;
    const published = await publisher.publish(
      aPost({ id: 'ep-planned-apart', slug: 'ep-planned-apart', title: 'Planned apart', lists: ['podcast'] }),
    );
    const outcome = published.lists[0];
    if (outcome?.action !== 'planned') throw new Error(`expected a planned edition, got ${outcome?.action}`);
    expect(handedOff).toEqual([outcome.editionId]);
    await stack.runner.drain();
    const nothingYet = (await mailbox(stack)).countFor('pod@example.org');
    const handler = makePlanHandler(async () => stack.app, quietObservability());

    // Act: Lambda's async invoke is at-least-once, so the same event can arrive twice
    const first = await handler({ editionId: outcome.editionId });
    await stack.runner.drain();
    const retry = await handler({ editionId: outcome.editionId });
    await stack.runner.drain();

    // Assess
    expect(nothingYet).toBe(0);
    expect(first).toMatchObject({
      editionId: outcome.editionId,
      enqueued: 1,
      done: true,
      alreadyPlanned: false,
    });
    expect(retry).toMatchObject({ alreadyPlanned: true });
    const box = await mailbox(stack);
    const sent = box.all.filter((m) => m.tags.edition === outcome.editionId);
    expect(sent.map((m) => [m.destinations, m.subject])).toEqual([[['pod@example.org'], 'Planned apart']]);
    expect(await stack.app.status(outcome.editionId)).toMatchObject({
      complete: true,
      counters: { planned: 1, sent: 1, failed: 0, skipped: 0 },
    });
  });

  it('refuses an event without an edition id', async () => {
    const handler = makePlanHandler(async () => stack.app, quietObservability());
    await expect(handler({ edition: 'x' })).rejects.toThrow(/editionId/);
  });
});
