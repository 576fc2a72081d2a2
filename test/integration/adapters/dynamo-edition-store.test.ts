import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../../functions/adapters/aws/dynamo-edition-store.ts';
import type { Edition, StoredRendering } from '../../../functions/ports/edition-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const store = () => new DynamoEditionStore({ doc: env().clients.doc, tableName: env().tableName });

function anEdition(id: string, overrides: Partial<Edition> = {}): Edition {
  return {
    id,
    listId: 'podcast',
    kind: 'publish',
    cadences: ['instant'],
    posts: [{ id: 'ep-42', contentHash: 'abc', version: 1 }],
    status: 'planning',
    createdAt: '2026-04-01T08:00:00.000Z',
    ...overrides,
  };
}

describe('DynamoEditionStore', () => {
  it('creates an edition once; a second create returns the first and changes nothing', async () => {
    // Act
    const first = await store().createIfAbsent(anEdition('ed-once', { subject: 'First' }));
    const second = await store().createIfAbsent(anEdition('ed-once', { subject: 'Second' }));
    // Assess
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.record.edition.subject).toBe('First');
  });

  it('keeps rendered content far larger than an item can hold, and gives it back intact', async () => {
    // Prepare: ~1.2 MB of JSON that compresses badly (random-ish), so it spans several chunks
    await store().createIfAbsent(anEdition('ed-big'));
    let seed = 7;
    const noise = Array.from({ length: 60_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed.toString(36);
    }).join(' ');
    const rendered: StoredRendering = {
      editionId: 'ed-big',
      subject: 'Épisode 42 — “quotes”',
      preheader: 'Épisode 42',
      html: `<p>${noise}</p>`,
      text: noise,
      warnings: [],
      bytes: { html: noise.length + 7, text: noise.length },
      compiled: {
        version: 1,
        editionId: 'ed-big',
        head: [{ bytes: 'Subject: =?UTF-8?Q?=C3=89pisode_42?=\r\n' }, { slot: 'to' }],
        text: [{ bytes: noise }, { slot: 'unsubscribeUrl' }],
        middle: '\r\n--b\r\n',
        html: [{ bytes: `<p>${noise}</p>` }],
        tail: '\r\n--b--\r\n',
      },
    };
    // Act
    await store().saveRendered('ed-big', rendered);
    const back = await store().getRendered('ed-big');
    // Assess
    expect(back).toEqual(rendered);
    expect(await store().getRendered('ed-once')).toBeUndefined();
  });

  it('adds counters atomically from many concurrent senders, with reasons', async () => {
    // Prepare
    await store().createIfAbsent(anEdition('ed-count'));
    // Act
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store().addCounters('ed-count', {
          sent: 1,
          ...(i % 4 === 0 ? { skipped: 1, skippedReasons: { suppressed: 1 } } : {}),
          ...(i % 10 === 0 ? { failed: 1, failedReasons: { 'message-rejected': 1 } } : {}),
        }),
      ),
    );
    await store().addCounters('ed-count', { planned: 50 });
    // Assess
    const rec = await store().get('ed-count');
    expect(rec?.counters).toEqual({
      planned: 50,
      sent: 40,
      skipped: 10,
      failed: 4,
      skippedReasons: { suppressed: 10 },
      failedReasons: { 'message-rejected': 4 },
    });
  });

  it('advances the checkpoint only from the expected position, so two planners cannot both move it', async () => {
    // Prepare
    await store().createIfAbsent(anEdition('ed-plan'));
    const cp = (n: number) => ({
      cursor: `c${n}`,
      batchesEnqueued: n,
      recipientsEnqueued: n * 50,
      done: false,
      updatedAt: '2026-04-01T08:00:01.000Z',
    });
    // Act
    const a = await store().advanceCheckpoint('ed-plan', 0, cp(1));
    const b = await store().advanceCheckpoint('ed-plan', 0, cp(1));
    const c = await store().advanceCheckpoint('ed-plan', 1, cp(2));
    // Assess
    expect([a, b, c]).toEqual([true, false, true]);
    expect((await store().get('ed-plan'))?.checkpoint?.cursor).toBe('c2');
  });

  it('completes an edition once, and a late status change does not reopen it', async () => {
    // Prepare
    await store().createIfAbsent(anEdition('ed-done'));
    await store().setStatus('ed-done', 'sending');
    // Act
    await store().markCompleted('ed-done', '2026-04-01T09:00:00.000Z');
    await store().markCompleted('ed-done', '2026-04-01T10:00:00.000Z');
    await store().setStatus('ed-done', 'sending');
    // Assess
    const rec = await store().get('ed-done');
    expect(rec?.edition.status).toBe('completed');
    expect(rec?.edition.completedAt).toBe('2026-04-01T09:00:00.000Z');
  });

  it('refuses updates to an edition that does not exist', async () => {
    await expect(store().addCounters('ed-missing', { sent: 1 })).rejects.toMatchObject({
      code: 'EDITION_NOT_FOUND',
    });
    expect(await store().get('ed-missing')).toBeUndefined();
  });

  it('lists the editions of a list newest first', async () => {
    await store().createIfAbsent(anEdition('ed-l1', { listId: 'essays', createdAt: '2026-05-01T00:00:00Z' }));
    await store().createIfAbsent(anEdition('ed-l2', { listId: 'essays', createdAt: '2026-05-02T00:00:00Z' }));
    await store().createIfAbsent(anEdition('ed-l3', { listId: 'essays', createdAt: '2026-05-03T00:00:00Z' }));
    const p1 = await store().pageByList('essays', undefined, 2);
    const p2 = await store().pageByList('essays', p1.cursor, 2);
    expect([...p1.items, ...p2.items].map((e) => e.id)).toEqual(['ed-l3', 'ed-l2', 'ed-l1']);
  });
});
