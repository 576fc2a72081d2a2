import type { Cadence } from '../../config/schema.ts';
import { consentOf, importDate, membership, nameOf, restAsAttributes } from '../row-mapping.ts';
import type { Cells, ImportFormat, MappedRow, PlanImportOptions } from '../types.ts';

/** Which of Mailchimp's three audience exports a file is. */
export type MailchimpExport = 'subscribed' | 'unsubscribed' | 'cleaned';

const MAILCHIMP_SYSTEM = new Set([
  'email address',
  'first name',
  'last name',
  'member_rating',
  'optin_time',
  'optin_ip',
  'confirm_time',
  'confirm_ip',
  'latitude',
  'longitude',
  'gmtoff',
  'dstoff',
  'timezone',
  'cc',
  'region',
  'last_changed',
  'leid',
  'euid',
  'notes',
  'tags',
  'unsub_time',
  'unsub_campaign_title',
  'unsub_campaign_id',
  'unsub_reason',
  'unsub_reason_other',
  'clean_time',
  'clean_campaign_title',
  'clean_campaign_id',
]);

/**
 * Mailchimp: `Email Address`, …; the unsubscribed export adds `UNSUB_TIME`, the cleaned one `CLEAN_TIME`.
 * Asked first: an `Email Address` column makes it Mailchimp's, whatever else the header has.
 */
export function detect(columns: ReadonlySet<string>): ImportFormat | undefined {
  if (!columns.has('email address')) return undefined;
  if (columns.has('clean_time')) return 'mailchimp-cleaned';
  if (columns.has('unsub_time')) return 'mailchimp-unsubscribed';
  return 'mailchimp-subscribed';
}

/**
 * Mailchimp audience exports. Subscribed → subscribed, with OPTIN_TIME/OPTIN_IP/CONFIRM_TIME/CONFIRM_IP
 * as consent evidence; unsubscribed → unsubscribed at UNSUB_TIME (reason kept); cleaned → a hard-bounce
 * suppression at CLEAN_TIME. Merge fields and TAGS become attributes.
 */
export function map(cells: Cells, o: PlanImportOptions, kind: MailchimpExport): MappedRow {
  const name = nameOf(cells, '', 'first name', 'last name');
  const attributes = restAsAttributes(cells, MAILCHIMP_SYSTEM);
  const tags = cells.get('tags');
  if (tags) attributes.tags = tags;
  const optinAt = importDate(cells.get('optin_time'));
  const confirmedAt = importDate(cells.get('confirm_time'));
  const createdAt = optinAt ?? confirmedAt;
  if (kind === 'cleaned') {
    const at = importDate(cells.get('clean_time'));
    return {
      ...(name ? { name } : {}),
      attributes,
      memberships: {},
      suppression: {
        reason: 'hard-bounce',
        ...(at ? { at } : {}),
        detail: 'import:mailchimp cleaned',
      },
      ...(createdAt ? { createdAt } : {}),
    };
  }
  const consent = consentOf('import:mailchimp', o.source, optinAt, {
    ip: cells.get('optin_ip'),
    confirmedAt,
    confirmedIp: cells.get('confirm_ip'),
  });
  const reason = [cells.get('unsub_reason'), cells.get('unsub_reason_other')].filter(Boolean).join(': ');
  return {
    ...(name ? { name } : {}),
    attributes,
    memberships: {
      [o.listId]: membership(kind, o.lists[o.listId] as Cadence, consent, {
        at: importDate(cells.get('unsub_time')),
        reason: reason ? `import:mailchimp ${reason}` : 'import:mailchimp',
      }),
    },
    ...(createdAt ? { createdAt } : {}),
  };
}
