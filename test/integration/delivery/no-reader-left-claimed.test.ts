import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

// Issue 13 §1: in clean runs of the local stack, a few readers of every few thousand stayed `claimed`
// forever (a request on a kept-alive socket the emulator had just closed). An edition of 3,000 must leave
// none claimed, send everyone exactly once, and need no reconciliation to get there.
describe('an edition of 3,000 on the local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await aLocalStack({ senders: 4 });
    await seed(stack, manySubscribers(3000, 'podcast', 'instant'));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends every reader exactly one message and leaves nobody claimed', async () => {
    // Act
    const published = await stack.app.publish(aPost({ id: 'ep-3k', slug: 'ep-3k', lists: ['podcast'] }));
    await stack.runner.drain(240_000);

    // Assess
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    const left = await stack.adapters.ledger.findStaleClaims(
      planned.editionId,
      new Date(Date.now() + 3_600_000).toISOString(),
      100,
    );
    // The emulator's store is read over HTTP: give its last writes a moment (a missing message stays missing).
    let mine: Awaited<ReturnType<typeof mailbox>>['all'] = [];
    for (let i = 0; i < 50 && mine.length < 3000; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      mine = (await mailbox(stack)).all.filter((m) => m.tags.edition === planned.editionId);
    }
    const readers = new Set(mine.map((m) => m.destinations[0]));
    expect(left.map((d) => d.email)).toEqual([]);
    expect(mine).toHaveLength(3000);
    expect(readers.size).toBe(3000);
    expect(await stack.app.status(planned.editionId)).toMatchObject({
      complete: true,
      counters: { planned: 3000, sent: 3000, failed: 0 },
    });
  }, 300_000);
});
