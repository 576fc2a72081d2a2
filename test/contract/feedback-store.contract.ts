import { describe, expect, it } from 'vitest';
import type { FeedbackStore } from '../../functions/ports/feedback-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

const KEEP = 1_900_000_000;

/**
 * What every FeedbackStore does: a list's daily counters add up (also from concurrent events) and sum
 * over the days asked; an address's transient bounces count each SES feedback id once.
 */
export function describeFeedbackStoreContract(name: string, make: MakeSubject<FeedbackStore>): void {
  describe(`${name} (FeedbackStore contract)`, () => {
    const store = useSubject(make);

    it("adds to a list's daily counters and sums them over the days asked, apart from other lists", async () => {
      // Prepare
      await store().addListCounts('essays', '2026-04-01', { sent: 10, bounced: 1 });
      await store().addListCounts('essays', '2026-04-01', { sent: 5, complained: 1 });
      await store().addListCounts('essays', '2026-04-02', { sent: 3 });
      await store().addListCounts('essays', '2026-03-01', { sent: 1000, bounced: 500 });
      await store().addListCounts('podcast', '2026-04-01', { sent: 100, bounced: 7 });
      // Act
      const essays = await store().listCounts('essays', ['2026-04-01', '2026-04-02', '2026-04-03']);
      const podcast = await store().listCounts('podcast', ['2026-04-01']);
      // Assess
      expect(essays).toEqual({ sent: 18, bounced: 1, complained: 1 });
      expect(podcast).toEqual({ sent: 100, bounced: 7, complained: 0 });
      expect(await store().listCounts('essays', [])).toEqual({ sent: 0, bounced: 0, complained: 0 });
      expect(await store().listCounts('nobody', ['2026-04-01'])).toEqual({
        sent: 0,
        bounced: 0,
        complained: 0,
      });
    });

    it('loses no count when many events of one day arrive at once', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store().addListCounts('busy', '2026-04-05', i % 5 === 0 ? { sent: 1, bounced: 1 } : { sent: 1 }),
        ),
      );
      expect(await store().listCounts('busy', ['2026-04-05'])).toEqual({
        sent: 25,
        bounced: 5,
        complained: 0,
      });
    });

    it("counts a redelivered transient bounce once, and keeps each address's bounces apart", async () => {
      // Act
      const first = await store().addTransientBounce(
        'ada@example.com',
        'fb-1',
        '2026-04-01T08:00:00.000Z',
        KEEP,
      );
      const again = await store().addTransientBounce(
        'ada@example.com',
        'fb-1',
        '2026-04-01T08:00:00.000Z',
        KEEP,
      );
      const second = await store().addTransientBounce(
        'ada@example.com',
        'fb-2',
        '2026-04-09T08:00:00.000Z',
        KEEP,
      );
      const other = await store().addTransientBounce(
        'bob@example.com',
        'fb-3',
        '2026-04-10T08:00:00.000Z',
        KEEP,
      );
      // Assess
      expect(first).toEqual(['2026-04-01T08:00:00.000Z']);
      expect(again).toEqual(['2026-04-01T08:00:00.000Z']);
      expect([...second].sort()).toEqual(['2026-04-01T08:00:00.000Z', '2026-04-09T08:00:00.000Z']);
      expect(other).toEqual(['2026-04-10T08:00:00.000Z']);
    });
  });
}
