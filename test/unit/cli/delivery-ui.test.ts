import { describe, expect, it } from 'vitest';
import { countOf, describeEdition, waitsForWaves } from '../../../functions/cli/delivery-ui.ts';
import type { EditionStatusView } from '../../../functions/use-cases/edition-status.ts';

describe('countOf', () => {
  it('says "1 recipient", "2 recipients", "0 recipients" and "? recipients" when the count is unknown', () => {
    // Act + Assess
    expect([1, 2, 0, undefined].map((n) => countOf(n, 'recipient'))).toEqual([
      '1 recipient',
      '2 recipients',
      '0 recipients',
      '? recipients',
    ]);
  });

  it('takes an irregular plural', () => {
    expect([1, 3].map((n) => countOf(n, 'suppressed address', 'suppressed addresses'))).toEqual([
      '1 suppressed address',
      '3 suppressed addresses',
    ]);
  });
});

describe('describeEdition with time-zone waves', () => {
  const view: EditionStatusView = {
    id: 'p-abc',
    listId: 'podcast',
    kind: 'publish',
    cadences: ['instant'],
    posts: ['ep-1'],
    status: 'sending',
    createdAt: '2026-06-10T05:00:00.000Z',
    planningDone: true,
    planningUpdatedAt: '2026-06-10T05:00:01.000Z',
    enqueued: 0,
    counters: { planned: 3, sent: 2, failed: 0, skipped: 0, skippedReasons: {}, failedReasons: {} },
    remaining: 1,
    complete: false,
    waves: [
      {
        id: 'p-abc#1',
        at: '2026-06-10T06:00:00.000Z',
        readers: 2,
        zones: ['Europe/Berlin', 'Europe/Paris'],
        state: 'sent',
      },
      { id: 'p-abc#2', at: '2026-06-10T23:00:00.000Z', readers: 1, zones: ['Asia/Tokyo'], state: 'pending' },
    ],
  };

  it('shows each wave: its time, readers, state and zones', () => {
    const lines = describeEdition(view).split('\n');
    expect(lines.slice(-3)).toEqual([
      '  waves     2 (local-time delivery; 1 sent)',
      '    2026-06-10T06:00:00.000Z       2 readers  sent       Europe/Berlin, Europe/Paris',
      '    2026-06-10T23:00:00.000Z       1 readers  pending    Asia/Tokyo',
    ]);
    expect(waitsForWaves(view)).toBe(true);
    expect(
      waitsForWaves({ ...view, waves: (view.waves ?? []).map((w) => ({ ...w, state: 'sent' as const })) }),
    ).toBe(false);
  });

  it('shows a cancelled wave as cancelled, and an edition with only sent and cancelled waves waits for none', () => {
    const cancelled: EditionStatusView = {
      ...view,
      waves: (view.waves ?? []).map((w) =>
        w.state === 'pending' ? { ...w, state: 'cancelled' as const } : w,
      ),
    };
    expect(describeEdition(cancelled).split('\n').slice(-3)).toEqual([
      '  waves     2 (local-time delivery; 1 sent, 1 cancelled)',
      '    2026-06-10T06:00:00.000Z       2 readers  sent       Europe/Berlin, Europe/Paris',
      '    2026-06-10T23:00:00.000Z       1 readers  cancelled  Asia/Tokyo',
    ]);
    expect(waitsForWaves(cancelled)).toBe(false);
  });
});
