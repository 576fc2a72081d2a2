// Delivery at each reader's local time (a list's `deliverAt`): when "08:00" falls in each time zone, and how
// readers are grouped into at most 24 waves. Pure: the zone rules come from the runtime's ICU data (Intl),
// never from a table kept here, so daylight-saving changes are the ones the runtime knows.

/** The most waves one edition is sent in: one an hour, at most. */
export const MAX_WAVES = 24;

const DELIVER_AT = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` (24-hour) → minutes after midnight; `undefined` when it is not one. */
export function parseDeliverAt(value: string): number | undefined {
  const m = DELIVER_AT.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

let known: ReadonlySet<string> | undefined;

/**
 * The IANA name of a time zone the runtime knows (`Intl.supportedValuesOf('timeZone')`, plus UTC and the
 * aliases it resolves, such as Asia/Kolkata), or `undefined`. Offsets (`+02:00`) and abbreviations (`CET`)
 * are refused: they do not follow daylight-saving time.
 *
 * @example
 * checkTimeZone('Europe/Berlin') // 'Europe/Berlin'
 * checkTimeZone('Mars/Olympus')  // undefined
 */
export function checkTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const name = value.trim();
  if (name === 'UTC' || name === 'Etc/UTC') return 'UTC';
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(name)) return undefined;
  known ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (known.has(name)) return name;
  try {
    // An alias the runtime resolves (Asia/Kolkata → Asia/Calcutta on some ICU versions): kept as given.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return known.has(resolved) || resolved === 'UTC' ? name : undefined;
  } catch {
    return undefined;
  }
}

type Formatter = Intl.DateTimeFormat;
const formatters = new Map<string, Formatter>();

function formatterOf(zone: string): Formatter {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of instant `t` in `zone`, as if they were UTC (ms). */
function wallClock(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(zone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at instant `t`, in ms (whole seconds). */
function offsetAt(t: number, zone: string): number {
  return wallClock(Math.floor(t / 1000) * 1000, zone) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `zone` shows `local` (wall-clock fields as UTC ms). A time that
 * happens twice (clocks go back) is the first; a time that never happens (clocks go forward) is moved
 * forward by the jump, as a clock set by hand would be: 02:30 on the spring-forward night is 03:30.
 */
function instantOfWallClock(local: number, zone: string): number {
  const before = offsetAt(local - 86_400_000, zone);
  const after = offsetAt(local + 86_400_000, zone);
  const candidates = [local - before, local - after].filter((t) => offsetAt(t, zone) === local - t);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before;
}

/**
 * The next instant, at or after `from`, at which it is `deliverAt` (minutes after midnight) on the wall
 * clock of `zone`: today's if it is still to come there, else tomorrow's. Daylight-saving time is the
 * runtime's (Intl).
 *
 * @example
 * nextLocalTime(new Date('2026-03-28T12:00:00Z'), 8 * 60, 'Europe/Berlin') // 2026-03-29T06:00:00Z (CEST)
 */
export function nextLocalTime(from: Date, deliverAt: number, zone: string): Date {
  const now = from.getTime();
  const today = new Date(wallClock(now, zone));
  for (let days = 0; days < 3; days++) {
    const local = Date.UTC(
      today.getUTCFullYear(),
      today.getUTCMonth(),
      today.getUTCDate() + days,
      Math.floor(deliverAt / 60),
      deliverAt % 60,
    );
    const t = instantOfWallClock(local, zone);
    if (t >= now) return new Date(t);
  }
  // Unreachable for a real zone (a day never lasts three); kept total for the type.
  return new Date(now);
}

/** One wave of an edition: when it goes, and the zones whose readers it carries. */
export interface Wave {
  /** ISO 8601 UTC. */
  readonly at: string;
  /** IANA names, sorted. */
  readonly zones: readonly string[];
}

/**
 * Groups readers' time zones into waves: each zone's next local `deliverAt` after `publishAt`; zones whose
 * instants coincide share a wave (Berlin and Paris, Tokyo and Seoul). More than `maxWaves` distinct
 * instants (half-hour zones such as India's) are merged into the nearest wave, the two closest first, the
 * merged wave going at the earlier of the two, so nobody's copy comes later than their `deliverAt`.
 *
 * @example
 * planWaves({ publishAt, deliverAt: '08:00', zones: ['Europe/Berlin', 'Europe/Paris', 'Asia/Tokyo'] })
 * // [{ at: '…T23:00:00.000Z', zones: ['Asia/Tokyo'] }, { at: '…T07:00:00.000Z', zones: ['Europe/Berlin', 'Europe/Paris'] }]
 */
export function planWaves(input: {
  readonly publishAt: Date;
  /** `HH:MM`, validated by the config. */
  readonly deliverAt: string;
  readonly zones: Iterable<string>;
  readonly maxWaves?: number;
}): Wave[] {
  const minutes = parseDeliverAt(input.deliverAt);
  if (minutes === undefined) throw new RangeError(`deliverAt ${input.deliverAt}: not HH:MM`);
  const byInstant = new Map<number, string[]>();
  for (const zone of new Set(input.zones)) {
    const t = nextLocalTime(input.publishAt, minutes, zone).getTime();
    byInstant.set(t, [...(byInstant.get(t) ?? []), zone]);
  }
  const waves = [...byInstant.entries()].sort(([a], [b]) => a - b).map(([t, zones]) => ({ t, zones }));
  const max = Math.max(1, input.maxWaves ?? MAX_WAVES);
  while (waves.length > max) {
    let closest = 0;
    for (let i = 1; i < waves.length - 1; i++) {
      const gap = (waves[i + 1]?.t ?? 0) - (waves[i]?.t ?? 0);
      if (gap < (waves[closest + 1]?.t ?? 0) - (waves[closest]?.t ?? 0)) closest = i;
    }
    const [early, late] = [waves[closest], waves[closest + 1]];
    if (!early || !late) break;
    waves.splice(closest, 2, { t: early.t, zones: [...early.zones, ...late.zones] });
  }
  return waves.map((w) => ({ at: new Date(w.t).toISOString(), zones: [...w.zones].sort() }));
}
