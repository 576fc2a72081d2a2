// How the planner reads a list (use-cases/plan-edition.ts): a new edition's pages grow from one batch to a full
// page, so the senders start after one small read and the planner works in short steps beside them; a
// resumed plan reads full pages from its checkpoint. Whatever the page sizes, every reader is enqueued once.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') };
const config = anExampleConfig();
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });
const READERS = 1_234;

let tidings: ReturnType<typeof memoryApp>;
let pageSizes: number[];
beforeEach(async () => {
  tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 100_000 });
  await tidings.adapters.subscribers.putMany(
    Array.from({ length: READERS }, (_, i) =>
      aSubscriber({ id: `s_${String(i).padStart(5, '0')}`, email: `reader${i}@example.org` }),
    ),
  );
  pageSizes = [];
  const subscribers = tidings.adapters.subscribers;
  const pageByList = subscribers.pageByList.bind(subscribers);
  subscribers.pageByList = (listId, filter, from, limit) => {
    if (filter?.status === 'subscribed') pageSizes.push(limit ?? 0);
    return pageByList(listId, filter, from, limit);
  };
});

describe('the planner reading a list', () => {
  it('reads 50, 100, 200, 400 readers, then pages of 500, and enqueues each reader once, 50 to a batch', async () => {
    // Act
    const published = await tidings.app.publish(
      aPost({ id: 'ep-pages', slug: 'ep-pages', lists: ['podcast'] }),
    );
    const batches = tidings.adapters.queue.receive(1_000).map((m) => m.body);

    // Assess
    expect(published.lists[0]).toMatchObject({ action: 'planned' });
    expect(pageSizes).toEqual([50, 100, 200, 400, 500]);
    expect(batches.map((b) => b.recipients.length)).toEqual([...Array(24).fill(50), 34]);
    const enqueued = batches.flatMap((b) => b.recipients.map((r) => r.email));
    expect(enqueued).toHaveLength(READERS);
    expect(new Set(enqueued).size).toBe(READERS);
    expect(batches.map((b) => b.batchNo)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});
