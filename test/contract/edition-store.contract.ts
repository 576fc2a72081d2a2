import { describe, expect, it } from 'vitest';
import type { Edition, EditionStore, StoredRendering } from '../../functions/ports/edition-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

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

/**
 * What every EditionStore does: created once, counters added atomically, the planner checkpoint moved
 * only from the expected position, completed once, rendered content given back as a copy.
 */
export function describeEditionStoreContract(name: string, make: MakeSubject<EditionStore>): void {
  describe(`${name} (EditionStore contract)`, () => {
    const store = useSubject(make);

    it('creates an edition once; a second create returns the first and changes nothing', async () => {
      // Act
      const first = await store().createIfAbsent(anEdition('ed-once', { subject: 'First' }));
      const second = await store().createIfAbsent(anEdition('ed-once', { subject: 'Second' }));
      // Assess
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.record.edition.subject).toBe('First');
    });

    it('gives back the rendered content as saved, as a new copy each time, and nothing before a save', async () => {
      // Prepare
      await store().createIfAbsent(anEdition('ed-render'));
      const rendered = aRendering('ed-render', '<p>Épisode 42 — “quotes”</p>');
      // Act
      await store().saveRendered('ed-render', rendered);
      const back = await store().getRendered('ed-render');
      (back?.compiled.html as { bytes: string }[] | undefined)?.push({ bytes: 'changed by the caller' });
      // Assess
      expect(back?.compiled.html).toHaveLength(2);
      expect(await store().getRendered('ed-render')).toEqual(rendered);
      expect(await store().getRendered('ed-once')).toBeUndefined();
    });

    it('replaces the rendered content on a second save', async () => {
      await store().saveRendered('ed-render', aRendering('ed-render', '<p>v2</p>'));
      expect((await store().getRendered('ed-render'))?.html).toBe('<p>v2</p>');
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
      await store().createIfAbsent(
        anEdition('ed-l1', { listId: 'essays', createdAt: '2026-05-01T00:00:00Z' }),
      );
      await store().createIfAbsent(
        anEdition('ed-l2', { listId: 'essays', createdAt: '2026-05-02T00:00:00Z' }),
      );
      await store().createIfAbsent(
        anEdition('ed-l3', { listId: 'essays', createdAt: '2026-05-03T00:00:00Z' }),
      );
      const p1 = await store().pageByList('essays', undefined, 2);
      const p2 = await store().pageByList('essays', p1.cursor, 2);
      expect([...p1.items, ...p2.items].map((e) => e.id)).toEqual(['ed-l3', 'ed-l2', 'ed-l1']);
    });

    it('lets exactly one of two planners advancing from one position at once move the checkpoint', async () => {
      await store().createIfAbsent(anEdition('ed-race'));
      const cp = (cursor: string) => ({
        cursor,
        batchesEnqueued: 1,
        recipientsEnqueued: 50,
        done: false,
        updatedAt: '2026-04-01T08:00:01.000Z',
      });
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((c) => store().advanceCheckpoint('ed-race', 0, cp(c))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd'][results.indexOf(true)];
      expect((await store().get('ed-race'))?.checkpoint).toMatchObject({
        cursor: winner,
        batchesEnqueued: 1,
      });
      expect(await store().advanceCheckpoint('ed-missing', 0, cp('x'))).toBe(false);
    });

    it('replaces the running outcome sums with the recount, keeping planned', async () => {
      await store().createIfAbsent(anEdition('ed-recount'));
      await store().addCounters('ed-recount', {
        planned: 3,
        sent: 3,
        failed: 1,
        failedReasons: { 'message-rejected': 1 },
      });
      await store().setOutcomeCounters('ed-recount', {
        sent: 2,
        failed: 0,
        skipped: 1,
        skippedReasons: { suppressed: 1 },
        failedReasons: { 'message-rejected': 0 },
      });
      expect((await store().get('ed-recount'))?.counters).toEqual({
        planned: 3,
        sent: 2,
        failed: 0,
        skipped: 1,
        skippedReasons: { suppressed: 1 },
        failedReasons: { 'message-rejected': 0 },
      });
    });

    it('takes a cancelled wave out of planned once, whoever cancels it at the same time, and names it', async () => {
      await store().createIfAbsent(anEdition('ed-waves'));
      await store().addCounters('ed-waves', { planned: 30, sent: 10 });
      const six = 'ed-waves#2026-06-10T06:00:00.000Z';
      const five = 'ed-waves#2026-06-10T05:00:00.000Z';
      const racing = await Promise.all([1, 2, 3].map(() => store().cancelWave('ed-waves', six, 12)));
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await store().cancelWave('ed-waves', six, 12)).toBe(false);
      expect(await store().cancelWave('ed-waves', five, 8)).toBe(true);
      const rec = await store().get('ed-waves');
      expect(rec?.counters).toMatchObject({ planned: 10, sent: 10 });
      expect(rec?.cancelledWaves).toEqual([five, six]);
      await store().createIfAbsent(anEdition('ed-no-wave'));
      expect(await store().get('ed-no-wave')).toMatchObject({ counters: { planned: 0 } });
      expect((await store().get('ed-no-wave'))?.cancelledWaves).toBeUndefined();
      await expect(store().cancelWave('ed-missing', 'ed-missing#x', 1)).rejects.toMatchObject({
        code: 'EDITION_NOT_FOUND',
      });
    });

    it('refuses a status change, a completion or a recount of an edition that does not exist', async () => {
      await expect(store().setStatus('ed-missing', 'sending')).rejects.toMatchObject({
        code: 'EDITION_NOT_FOUND',
      });
      await expect(store().markCompleted('ed-missing', '2026-04-01T09:00:00.000Z')).rejects.toMatchObject({
        code: 'EDITION_NOT_FOUND',
      });
      await expect(
        store().setOutcomeCounters('ed-missing', {
          sent: 0,
          failed: 0,
          skipped: 0,
          skippedReasons: {},
          failedReasons: {},
        }),
      ).rejects.toMatchObject({ code: 'EDITION_NOT_FOUND' });
    });
  });
}

/** A stored rendering with its compiled message, as the planner saves it. */
function aRendering(editionId: string, html: string): StoredRendering {
  return {
    editionId,
    subject: 'Épisode 42 — “quotes”',
    preheader: 'Épisode 42',
    html,
    text: 'Épisode 42',
    warnings: [],
    bytes: { html: html.length, text: 10 },
    compiled: {
      version: 1,
      editionId,
      head: [{ bytes: 'Subject: =?UTF-8?Q?=C3=89pisode_42?=\r\n' }, { slot: 'to' }],
      text: [{ bytes: 'Episode 42' }, { slot: 'unsubscribeUrl' }],
      middle: '\r\n--b\r\n',
      html: [{ bytes: html }],
      tail: '\r\n--b--\r\n',
    },
  };
}
