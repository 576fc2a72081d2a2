import { describe, expect, it } from 'vitest';
import type { ScheduleStore } from '../../functions/ports/schedule-store.ts';
import { aPost } from '../helpers/factories.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every ScheduleStore does: one waiting send per post, replaced by an edit until it starts; listed
 * soonest first; started once and for all (a cancel then says 'started'); gone when done.
 */
export function describeScheduleStoreContract(name: string, make: MakeSubject<ScheduleStore>): void {
  describe(`${name} (ScheduleStore contract)`, () => {
    const store = useSubject(make);
    const send = (id: string, at: string, title = `Post ${id}`) => ({
      id,
      post: aPost({ id, slug: id, title }),
      at,
      scheduledAt: '2026-03-01T08:00:00.000Z',
    });

    it('keeps one waiting send per post: an edit before the time replaces it', async () => {
      // Act
      const first = await store().put(send('ep-1', '2026-03-05T08:00:00.000Z'));
      const edit = await store().put({
        ...send('ep-1', '2026-03-04T08:00:00.000Z', 'Edited'),
        list: 'podcast',
        resend: true,
      });

      // Assess
      expect([first, edit]).toEqual(['created', 'replaced']);
      const stored = await store().get('ep-1');
      expect(stored).toMatchObject({
        at: '2026-03-04T08:00:00.000Z',
        state: 'waiting',
        list: 'podcast',
        resend: true,
      });
      expect(stored?.post.title).toBe('Edited');
    });

    it('lists every send soonest first', async () => {
      await store().put(send('ep-3', '2026-03-09T08:00:00.000Z'));
      await store().put(send('ep-2', '2026-03-02T08:00:00.000Z'));
      expect((await store().list()).map((s) => s.id)).toEqual(['ep-2', 'ep-1', 'ep-3']);
    });

    it('starts a send once: then it can be neither cancelled nor replaced, and a retry gets it again', async () => {
      // Act
      const started = await store().start('ep-2');
      const cancel = await store().cancel('ep-2');
      const replace = await store().put(send('ep-2', '2026-03-20T08:00:00.000Z', 'Too late'));
      const retry = await store().start('ep-2');

      // Assess
      expect(started).toMatchObject({ id: 'ep-2', state: 'firing' });
      expect([cancel, replace]).toEqual(['started', 'started']);
      expect(retry?.post.title).toBe('Post ep-2');
    });

    it('cancels a waiting send, and forgets a send once it is done', async () => {
      expect(await store().cancel('ep-3')).toBe('cancelled');
      expect(await store().cancel('ep-3')).toBe('not-found');
      expect(await store().start('ep-3')).toBeUndefined();
      await store().done('ep-2');
      expect((await store().list()).map((s) => s.id)).toEqual(['ep-1']);
    });

    it('keeps a wave with its reference, and its held readers by batch number, overwriting a batch held again', async () => {
      // Prepare
      const wave = {
        editionId: 'p-wave',
        listId: 'podcast',
        firstBatch: 2,
        batches: 2,
        readers: 3,
        zones: ['Asia/Tokyo', 'Asia/Seoul'],
      };
      const reader = (n: number) => ({ subscriberId: `s_${n}`, email: `r${n}@example.com` });
      // Act
      await store().put({ ...send('p-wave#2026-06-10T23:00:00.000Z', '2026-06-10T23:00:00.000Z'), wave });
      await store().holdBatches('p-wave#2026-06-10T23:00:00.000Z', [
        { batchNo: 2, recipients: [reader(9)] },
        { batchNo: 3, recipients: [reader(3)] },
      ]);
      await store().holdBatches('p-wave#2026-06-10T23:00:00.000Z', [
        { batchNo: 2, recipients: [reader(1), reader(2)] },
      ]);
      await store().holdBatches('p-other#2026-06-10T23:00:00.000Z', [
        { batchNo: 3, recipients: [reader(7)] },
      ]);
      // Assess
      expect((await store().get('p-wave#2026-06-10T23:00:00.000Z'))?.wave).toEqual(wave);
      expect(await store().heldBatches('p-wave#2026-06-10T23:00:00.000Z', [3, 2, 4])).toEqual([
        { batchNo: 2, recipients: [reader(1), reader(2)] },
        { batchNo: 3, recipients: [reader(3)] },
      ]);
    });
  });
}
