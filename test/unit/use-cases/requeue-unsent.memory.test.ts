import { describe, expect, it } from 'vitest';
import { requeueUnsent } from '../../../functions/use-cases/requeue-unsent.ts';
import { memoryAdapters } from '../../../functions/wiring/memory.ts';
import { manySubscribers } from '../../integration/delivery/stack.ts';

// What `tidings dev` puts back on a send queue that was lost with its process: the readers the planner
// would pick, minus every delivery the ledger already holds.
describe('requeueUnsent', () => {
  it('puts back every planned reader with no delivery, in batches of at most 50, and nobody else', async () => {
    // Prepare: 130 instant readers of podcast, a weekly one, an unsubscribed one and a suppressed one;
    // 20 already sent or claimed
    const adapters = memoryAdapters();
    const edition = { id: 'podcast-instant-e1', listId: 'podcast', cadences: ['instant' as const] };
    const readers = manySubscribers(130, 'podcast', 'instant');
    const weekly = manySubscribers(1, 'podcast', 'weekly', 500, 'weekly');
    const gone = manySubscribers(1, 'podcast', 'instant', 600, 'gone').map((s) => ({
      ...s,
      lists: {
        podcast: {
          ...(s.lists.podcast as NonNullable<typeof s.lists.podcast>),
          status: 'unsubscribed' as const,
        },
      },
    }));
    await adapters.subscribers.putMany([...readers, ...weekly, ...gone]);
    await adapters.suppressions.put({
      email: 'reader7@example.org',
      reason: 'complaint',
      at: '2026-01-06T00:00:00Z',
    });
    const now = '2026-01-06T10:00:00.000Z';
    for (const r of readers.slice(100, 120)) {
      await adapters.ledger.claim({ editionId: edition.id, subscriberId: r.id }, r.email, now);
      if (r.id.endsWith('0'))
        await adapters.ledger.markSent({ editionId: edition.id, subscriberId: r.id }, 'm', now);
    }

    // Act
    const requeued = await requeueUnsent(adapters, edition);

    // Assess
    const batches = adapters.queue.receive(100).map((m) => m.body);
    const queued = batches.flatMap((b) => b.recipients.map((r) => r.email));
    const expected = readers.filter((_, i) => i !== 7 && (i < 100 || i >= 120)).map((r) => r.email);
    expect(requeued).toBe(109);
    expect(queued.sort()).toEqual(expected.sort());
    expect(new Set(queued).size).toBe(queued.length);
    expect(batches.every((b) => b.recipients.length <= 50 && b.editionId === edition.id)).toBe(true);
  });
});
