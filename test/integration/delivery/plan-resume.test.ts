import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { systemClock } from '../../../functions/ports/clock.ts';
import type { SendQueue } from '../../../functions/ports/send-queue.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { planEdition } from '../../../functions/use-cases/plan-edition.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

describe('planEdition after a crash', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await aLocalStack({ startRunner: false });
    await seed(stack, manySubscribers(260, 'podcast', 'instant'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('resumes at its checkpoint: nobody is skipped and nobody gets two messages', async () => {
    // Prepare: the planner dies right after its third page is on the queue, before the checkpoint moves.
    const { app, adapters } = stack;
    let enqueues = 0;
    const crashingQueue: SendQueue = {
      async enqueue(batches) {
        await adapters.queue.enqueue(batches);
        enqueues++;
        if (enqueues === 3) throw new Error('planner crashed after enqueue');
      },
    };
    const post = aPost({ id: 'ep-resume', slug: 'ep-resume', lists: ['podcast'] });
    const deps = {
      config: app.config,
      editions: adapters.editions,
      posts: adapters.posts,
      subscribers: adapters.subscribers,
      suppressions: adapters.suppressions,
      clock: systemClock,
      render: makeRenderFn({ config: app.config, templates: () => loadTemplates(), clock: systemClock }),
      pageSize: 50,
    };
    await adapters.posts.put(post, ['podcast'], '2026-11-20T08:00:00.000Z');
    const editionId = 'podcast-instant-resume000000';
    await adapters.editions.createIfAbsent({
      id: editionId,
      listId: 'podcast',
      kind: 'publish',
      cadences: ['instant'],
      posts: [{ id: post.id, contentHash: post.contentHash, version: 1 }],
      status: 'planning',
      createdAt: '2026-11-20T08:00:00.000Z',
    });

    // Act
    const crashed = await planEdition({ ...deps, queue: crashingQueue }, editionId).catch((e: unknown) => e);
    const resumed = await planEdition({ ...deps, queue: adapters.queue }, editionId);
    stack.runner.start();
    await stack.runner.drain();

    // Assess
    expect(crashed).toBeInstanceOf(Error);
    expect(resumed).toMatchObject({ resumedAtBatch: 2, done: true, enqueued: 260 });
    const box = await mailbox(stack);
    const counts = manySubscribers(260, 'podcast', 'instant').map((s) => box.countFor(s.email));
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(await app.status(editionId)).toMatchObject({
      complete: true,
      counters: { planned: 260, sent: 260 },
    });
  });
});
