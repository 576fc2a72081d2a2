import { describe, expect, it } from 'vitest';
import {
  checkTimeZone,
  MAX_WAVES,
  nextLocalTime,
  parseDeliverAt,
  planWaves,
} from '../../../../functions/core/schedule/waves.ts';

const at = (iso: string) => new Date(iso);
const EIGHT = 8 * 60;

describe('nextLocalTime', () => {
  it('gives today 08:00 where it is still to come, tomorrow 08:00 where it has passed', () => {
    const publish = at('2026-06-10T05:00:00Z'); // 07:00 in Berlin, 14:00 in Tokyo, 01:00 in New York
    expect(nextLocalTime(publish, EIGHT, 'Europe/Berlin').toISOString()).toBe('2026-06-10T06:00:00.000Z');
    expect(nextLocalTime(publish, EIGHT, 'Asia/Tokyo').toISOString()).toBe('2026-06-10T23:00:00.000Z');
    expect(nextLocalTime(publish, EIGHT, 'America/New_York').toISOString()).toBe('2026-06-10T12:00:00.000Z');
    expect(nextLocalTime(publish, EIGHT, 'UTC').toISOString()).toBe('2026-06-10T08:00:00.000Z');
  });

  it('follows Berlin across the spring-forward night: 08:00 is 07:00 UTC before, 06:00 UTC after', () => {
    // Clocks in the EU go forward on Sunday 29 March 2026, 02:00 → 03:00.
    expect(nextLocalTime(at('2026-03-27T12:00:00Z'), EIGHT, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T07:00:00.000Z',
    );
    expect(nextLocalTime(at('2026-03-28T12:00:00Z'), EIGHT, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('follows New York across the fall-back night (1 November 2026)', () => {
    expect(nextLocalTime(at('2026-10-31T15:00:00Z'), EIGHT, 'America/New_York').toISOString()).toBe(
      '2026-11-01T13:00:00.000Z',
    );
    expect(nextLocalTime(at('2026-10-30T15:00:00Z'), EIGHT, 'America/New_York').toISOString()).toBe(
      '2026-10-31T12:00:00.000Z',
    );
  });

  it('moves a time the clocks skip forward by the jump, and takes the first of a time that happens twice', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: 03:30 CEST, 01:30 UTC.
    expect(nextLocalTime(at('2026-03-28T23:00:00Z'), 150, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 01:30 happens twice in New York on 1 November 2026: the first is 05:30 UTC (EDT).
    expect(nextLocalTime(at('2026-11-01T03:00:00Z'), 90, 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('treats the publish instant itself as still to come', () => {
    expect(nextLocalTime(at('2026-06-10T06:00:00Z'), EIGHT, 'Europe/Berlin').toISOString()).toBe(
      '2026-06-10T06:00:00.000Z',
    );
  });
});

describe('planWaves', () => {
  it('puts zones whose 08:00 coincide in one wave, soonest first', () => {
    const waves = planWaves({
      publishAt: at('2026-06-10T05:00:00Z'),
      deliverAt: '08:00',
      zones: ['Europe/Paris', 'Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'Asia/Seoul', 'UTC'],
    });
    expect(waves).toEqual([
      { at: '2026-06-10T06:00:00.000Z', zones: ['Europe/Berlin', 'Europe/Paris'] },
      { at: '2026-06-10T08:00:00.000Z', zones: ['UTC'] },
      { at: '2026-06-10T12:00:00.000Z', zones: ['America/New_York'] },
      { at: '2026-06-10T23:00:00.000Z', zones: ['Asia/Seoul', 'Asia/Tokyo'] },
    ]);
  });

  it('splits Berlin and London into two waves in summer and keeps them two in winter', () => {
    const summer = planWaves({
      publishAt: at('2026-07-01T00:00:00Z'),
      deliverAt: '08:00',
      zones: ['Europe/Berlin', 'Europe/London'],
    });
    expect(summer.map((w) => w.at)).toEqual(['2026-07-01T06:00:00.000Z', '2026-07-01T07:00:00.000Z']);
    const winter = planWaves({
      publishAt: at('2026-12-01T00:00:00Z'),
      deliverAt: '08:00',
      zones: ['Europe/Berlin', 'Europe/London'],
    });
    expect(winter.map((w) => w.at)).toEqual(['2026-12-01T07:00:00.000Z', '2026-12-01T08:00:00.000Z']);
  });

  it('merges to at most 24 waves when every zone of the world is present, no zone lost, none later than its 08:00', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const publishAt = at('2026-06-10T00:00:00Z');
    const unmerged = planWaves({ publishAt, deliverAt: '08:00', zones, maxWaves: 1000 });
    expect(unmerged.length).toBeGreaterThan(MAX_WAVES);
    const waves = planWaves({ publishAt, deliverAt: '08:00', zones });
    expect(waves.length).toBe(MAX_WAVES);
    expect(waves.flatMap((w) => w.zones).sort()).toEqual([...new Set(zones)].sort());
    for (const w of waves) {
      for (const zone of w.zones) {
        const own = nextLocalTime(publishAt, EIGHT, zone).getTime();
        expect(Date.parse(w.at)).toBeLessThanOrEqual(own);
        // Merged to the nearest: never more than an hour early.
        expect(own - Date.parse(w.at)).toBeLessThanOrEqual(60 * 60_000);
      }
    }
  });

  it('refuses a deliverAt that is not HH:MM', () => {
    expect(() => planWaves({ publishAt: at('2026-06-10T00:00:00Z'), deliverAt: '8am', zones: [] })).toThrow(
      /not HH:MM/,
    );
  });
});

describe('parseDeliverAt and checkTimeZone', () => {
  it('reads 24-hour HH:MM only', () => {
    expect(parseDeliverAt('08:00')).toBe(480);
    expect(parseDeliverAt('23:59')).toBe(1439);
    expect(parseDeliverAt('24:00')).toBeUndefined();
    expect(parseDeliverAt('8:00')).toBeUndefined();
  });

  it('knows IANA zones and UTC, and refuses offsets, abbreviations and made-up names', () => {
    expect(checkTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(checkTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(checkTimeZone('UTC')).toBe('UTC');
    expect(checkTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    for (const bad of ['+02:00', 'CET', 'Mars/Olympus', '', 'Europe/Berlin<script>', 42]) {
      expect(checkTimeZone(bad)).toBeUndefined();
    }
  });
});
