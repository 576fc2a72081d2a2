import type { Cadence } from '../config/schema.ts';
import type { Cells, ImportMembership } from './types.ts';

// What the format mappers (formats/*.ts) share: reading cells, dates and names, and building memberships.

/** A header cell as compared: trimmed, lowercased, without a byte-order mark. */
export function headerKey(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

/** The column prefix of attributes in tidings' own export (`attr.<key>`, the key as it was). */
export const ATTRIBUTE_COLUMN_PREFIX = 'attr.';

/**
 * A header cell as the mappers look it up: headerKey, except that an `attr.<key>` column keeps its key
 * as written (attribute keys are case-sensitive: `City` and `city` are two attributes).
 *
 * @example
 * columnKey(' Attr.City ') // 'attr.City'
 */
export function columnKey(cell: string): string {
  const k = headerKey(cell);
  if (!k.startsWith(ATTRIBUTE_COLUMN_PREFIX)) return k;
  return (
    ATTRIBUTE_COLUMN_PREFIX +
    cell
      .replace(/^\uFEFF/, '')
      .trim()
      .slice(ATTRIBUTE_COLUMN_PREFIX.length)
  );
}

const TRUE = new Set(['true', 'yes', '1', 'y', 't']);

/** Whether a cell says yes (`true`, `yes`, `1`, `y`, `t`, any case). */
export const isTrue = (v: string | undefined): boolean => TRUE.has((v ?? '').trim().toLowerCase());

/**
 * An ISO 8601 time from the dates exports use: ISO ("2021-03-04T12:00:00.000Z") or Mailchimp's
 * "2019-03-12 10:02:01" (taken as UTC). Undefined when empty or not a date.
 *
 * @example
 * importDate('2019-03-12 10:02:01') // '2019-03-12T10:02:01.000Z'
 */
export function importDate(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The name in the `full` column, or else the `first` and `last` columns joined; undefined when none. */
export function nameOf(cells: Cells, full: string, first: string, last: string): string | undefined {
  const n = cells.get(full) || [cells.get(first), cells.get(last)].filter(Boolean).join(' ');
  return n ? n : undefined;
}

function attributeKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Every non-empty column not in `used`, as attributes. An `attr.<key>` column (tidings' export) keeps
 * its key as written; other columns are keyed in snake_case.
 */
export function restAsAttributes(cells: Cells, used: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [h, v] of cells) {
    if (used.has(h) || v === '') continue;
    if (h.startsWith(ATTRIBUTE_COLUMN_PREFIX) && h.length > ATTRIBUTE_COLUMN_PREFIX.length) {
      out[h.slice(ATTRIBUTE_COLUMN_PREFIX.length)] = v;
      continue;
    }
    const k = attributeKey(h);
    if (k) out[k] = v;
  }
  return out;
}

/** Consent evidence from what a row says, or undefined when it gives no time (neither signup nor confirmation). */
export function consentOf(
  method: string,
  source: string,
  at: string | undefined,
  extra: { ip?: string | undefined; confirmedAt?: string | undefined; confirmedIp?: string | undefined } = {},
): ImportMembership['consent'] | undefined {
  // Without a time there is no evidence to keep; inventing "now" would also change on every import.
  const when = at ?? extra.confirmedAt;
  if (!when) return undefined;
  return {
    at: when,
    method,
    source,
    ...(extra.ip ? { ip: extra.ip } : {}),
    ...(extra.confirmedAt ? { confirmedAt: extra.confirmedAt } : {}),
    ...(extra.confirmedIp ? { confirmedIp: extra.confirmedIp } : {}),
  };
}

/** One membership; the time and reason of leaving are kept only on an unsubscribed one. */
export function membership(
  status: ImportMembership['status'],
  cadence: Cadence,
  consent: ImportMembership['consent'] | undefined,
  leaving?: { at?: string | undefined; reason: string },
): ImportMembership {
  return {
    status,
    cadence,
    ...(consent ? { consent } : {}),
    ...(status === 'unsubscribed' && leaving?.at ? { unsubscribedAt: leaving.at } : {}),
    ...(status === 'unsubscribed' && leaving ? { unsubscribeReason: leaving.reason } : {}),
  };
}
