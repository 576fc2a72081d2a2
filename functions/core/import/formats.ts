import * as generic from './formats/generic.ts';
import * as ghost from './formats/ghost.ts';
import * as listmonk from './formats/listmonk.ts';
import * as mailchimp from './formats/mailchimp.ts';
import * as substack from './formats/substack.ts';
import { headerKey } from './row-mapping.ts';
import type { Cells, ImportFormat, MappedRow, PlanImportOptions } from './types.ts';

/** Every format `--format` accepts, in the order the CLI lists them. */
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'generic',
  'substack',
  'mailchimp-subscribed',
  'mailchimp-unsubscribed',
  'mailchimp-cleaned',
  'ghost',
  'listmonk',
];

// Asked in this order, the first answer wins: Mailchimp's `Email Address` settles it, and generic (any
// `email` column) only takes a header no other export claims.
const DETECTORS: readonly ((columns: ReadonlySet<string>) => ImportFormat | undefined)[] = [
  mailchimp.detect,
  substack.detect,
  ghost.detect,
  listmonk.detect,
  generic.detect,
];

/**
 * Tells the format from the header row (cells compared case-insensitively, BOM stripped), or
 * undefined when no known format has these columns.
 *
 * - Mailchimp: `Email Address`, …; the unsubscribed export adds `UNSUB_TIME`, the cleaned one `CLEAN_TIME`;
 * - Substack: `email`, `email_disabled`, `prefer_digests` (the all-signups and the paid export);
 * - Ghost: `email`, `subscribed_to_emails`;
 * - listmonk: `email`, `attributes` (JSON);
 * - generic: any header with an `email` column.
 *
 * @example
 * detectFormat(['Email Address', 'First Name', 'UNSUB_TIME']) // 'mailchimp-unsubscribed'
 */
export function detectFormat(header: readonly string[]): ImportFormat | undefined {
  const columns = new Set(header.map(headerKey));
  for (const detect of DETECTORS) {
    const format = detect(columns);
    if (format) return format;
  }
  return undefined;
}

/** Maps one row's cells as the given format reads them. */
export type RowMapper = (cells: Cells, options: PlanImportOptions) => MappedRow;

/** The mapper of each format. */
export const MAPPERS: Readonly<Record<ImportFormat, RowMapper>> = {
  generic: generic.map,
  substack: substack.map,
  'mailchimp-subscribed': (cells, o) => mailchimp.map(cells, o, 'subscribed'),
  'mailchimp-unsubscribed': (cells, o) => mailchimp.map(cells, o, 'unsubscribed'),
  'mailchimp-cleaned': (cells, o) => mailchimp.map(cells, o, 'cleaned'),
  ghost: ghost.map,
  listmonk: listmonk.map,
};
