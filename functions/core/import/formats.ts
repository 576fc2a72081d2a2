/** The CSV exports tidings recognizes from their header row. */
export type ImportFormat =
  | 'generic'
  | 'substack'
  | 'mailchimp-subscribed'
  | 'mailchimp-unsubscribed'
  | 'mailchimp-cleaned'
  | 'ghost'
  | 'listmonk';

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'generic',
  'substack',
  'mailchimp-subscribed',
  'mailchimp-unsubscribed',
  'mailchimp-cleaned',
  'ghost',
  'listmonk',
];

/** A header cell as compared: trimmed, lowercased, without a byte-order mark. */
export function headerKey(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

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
  const cols = new Set(header.map(headerKey));
  if (cols.has('email address')) {
    if (cols.has('clean_time')) return 'mailchimp-cleaned';
    if (cols.has('unsub_time')) return 'mailchimp-unsubscribed';
    return 'mailchimp-subscribed';
  }
  if (!cols.has('email')) return undefined;
  if (cols.has('email_disabled') && cols.has('prefer_digests')) return 'substack';
  if (cols.has('subscribed_to_emails')) return 'ghost';
  if (cols.has('attributes')) return 'listmonk';
  return 'generic';
}
