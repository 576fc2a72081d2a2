import { describe, expect, it } from 'vitest';
import type { SendingPauseStore } from '../../functions/ports/sending-pause-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every SendingPauseStore does: a list stays paused with its first reason until it is resumed;
 * resuming gives back the lifted pause, and a list that is not paused is not an error.
 */
export function describeSendingPauseStoreContract(name: string, make: MakeSubject<SendingPauseStore>): void {
  describe(`${name} (SendingPauseStore contract)`, () => {
    const store = useSubject(make);
    const bounces = {
      listId: 'essays',
      reason: 'bounce-rate',
      at: '2026-04-01T08:00:00.000Z',
      bounceRate: 0.06,
      complaintRate: 0.0005,
      sent: 2000,
    };

    it('pauses a list once, keeping the first reason, and leaves other lists alone', async () => {
      // Act
      const first = await store().pause(bounces);
      const second = await store().pause({
        listId: 'essays',
        reason: 'manual',
        at: '2026-04-02T08:00:00.000Z',
      });
      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await store().get('essays')).toEqual(bounces);
      expect(await store().get('podcast')).toBeUndefined();
    });

    it('resumes a paused list, giving back the pause it lifted; resuming again is not an error', async () => {
      expect(await store().resume('essays')).toEqual(bounces);
      expect(await store().get('essays')).toBeUndefined();
      expect(await store().resume('essays')).toBeUndefined();
      expect(
        await store().pause({ listId: 'essays', reason: 'manual', at: '2026-04-03T08:00:00.000Z' }),
      ).toBe(true);
      expect(await store().get('essays')).toEqual({
        listId: 'essays',
        reason: 'manual',
        at: '2026-04-03T08:00:00.000Z',
      });
    });

    it('lets exactly one of many simultaneous pauses of a list win', async () => {
      const results = await Promise.all(
        ['bounce-rate', 'complaint-rate', 'manual', 'bounce-rate'].map((reason, i) =>
          store().pause({ listId: 'race', reason, at: `2026-04-01T08:00:0${i}.000Z` }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('pauses an edition once, keeping the first reason, apart from its list, until it is resumed', async () => {
      // Prepare
      const refused = {
        editionId: 'ed-from-lost',
        listId: 'podcast',
        reason: 'identity-not-verified',
        at: '2026-04-01T08:00:00.000Z',
        detail: 'Email address is not verified: podcast@news.example.com',
      };
      // Act
      const first = await store().pauseEdition(refused);
      const second = await store().pauseEdition({ ...refused, reason: 'account-paused' });
      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await store().getEdition('ed-from-lost')).toEqual(refused);
      expect(await store().getEdition('ed-other')).toBeUndefined();
      expect(await store().get('podcast')).toBeUndefined();
      expect(await store().resumeEdition('ed-from-lost')).toEqual(refused);
      expect(await store().getEdition('ed-from-lost')).toBeUndefined();
      expect(await store().resumeEdition('ed-from-lost')).toBeUndefined();
    });
  });
}
