import type { Cadence } from '../../config/schema.ts';
import { consentOf, importDate, membership, nameOf, restAsAttributes } from '../row-mapping.ts';
import type { Cells, ImportFormat, ImportMembership, MappedRow, PlanImportOptions } from '../types.ts';

const GENERIC_STATUS: Record<
  string,
  { status?: ImportMembership['status']; suppress?: 'hard-bounce' | 'complaint' | 'manual' }
> = {
  '': { status: 'subscribed' },
  subscribed: { status: 'subscribed' },
  active: { status: 'subscribed' },
  confirmed: { status: 'subscribed' },
  enabled: { status: 'subscribed' },
  pending: { status: 'pending' },
  unconfirmed: { status: 'pending' },
  unsubscribed: { status: 'unsubscribed' },
  'opted-out': { status: 'unsubscribed' },
  optout: { status: 'unsubscribed' },
  cleaned: { suppress: 'hard-bounce' },
  bounced: { suppress: 'hard-bounce' },
  'hard-bounce': { suppress: 'hard-bounce' },
  complained: { suppress: 'complaint' },
  complaint: { suppress: 'complaint' },
  spam: { suppress: 'complaint' },
  suppressed: { suppress: 'manual' },
  blocked: { suppress: 'manual' },
  blocklisted: { suppress: 'manual' },
};

/**
 * The columns of the generic format as tidings writes them (`subscribers export`): reading them back
 * gives the same subscribers, memberships, consent and suppressions.
 */
export const GENERIC_COLUMNS = [
  'email',
  'name',
  'lists',
  'cadence',
  'status',
  'created_at',
  'ip',
  'confirmed_at',
  'confirmed_ip',
  'unsubscribed_at',
  'unsubscribe_reason',
  'consent_method',
  'consent_source',
  // The reader's IANA time zone (read for every format by plan-import.ts, which also takes `timezone`).
  'time_zone',
] as const;

/** Every column the generic format reads; the others are attributes. */
const GENERIC_USED = new Set<string>([...GENERIC_COLUMNS, 'first_name', 'last_name', 'list', 'timezone']);

const CADENCES = new Set<Cadence>(['instant', 'daily', 'weekly']);

/**
 * generic: any header with an `email` column. Asked last, since every other export but Mailchimp's
 * has one too.
 */
export function detect(columns: ReadonlySet<string>): ImportFormat | undefined {
  return columns.has('email') ? 'generic' : undefined;
}

/**
 * generic: `email` (required), `name` (or `first_name`/`last_name`), `lists` (list ids separated by
 * `;` or `|`; default --list), `cadence` (instant|daily|weekly; default the list's), `status`
 * (subscribed|pending|unsubscribed, or cleaned|bounced|complained|suppressed for a suppression),
 * `created_at`, `ip`, `confirmed_at`, `confirmed_ip`, `unsubscribed_at`, `unsubscribe_reason`,
 * `consent_method`, `consent_source` (default `import:generic` and the file); `attr.<key>` columns and
 * any other column are attributes.
 */
export function map(cells: Cells, o: PlanImportOptions): MappedRow {
  const statusText = (cells.get('status') ?? '').toLowerCase();
  const status = Object.hasOwn(GENERIC_STATUS, statusText) ? GENERIC_STATUS[statusText] : undefined;
  if (!status) {
    return {
      problem: {
        code: 'bad-status',
        message: `status "${statusText}" is not one of ${Object.keys(GENERIC_STATUS).filter(Boolean).join(', ')}`,
      },
    };
  }
  const listCell = cells.get('lists') ?? cells.get('list') ?? '';
  const listIds = listCell ? listCell.split(/[;|\s]+/).filter(Boolean) : [o.listId];
  const unknown = listIds.find((l) => !(l in o.lists));
  if (unknown) {
    return {
      problem: {
        code: 'unknown-list',
        message: `list "${unknown}" is not in the config (${Object.keys(o.lists).join(', ')})`,
      },
    };
  }
  const cadenceText = (cells.get('cadence') ?? '').toLowerCase();
  if (cadenceText && !CADENCES.has(cadenceText as Cadence)) {
    return {
      problem: { code: 'bad-cadence', message: `cadence "${cadenceText}" is not instant, daily or weekly` },
    };
  }
  const createdAt = importDate(cells.get('created_at'));
  const name = nameOf(cells, 'name', 'first_name', 'last_name');
  const attributes = restAsAttributes(cells, GENERIC_USED);
  if (status.suppress) {
    return {
      ...(name ? { name } : {}),
      attributes,
      memberships: {},
      suppression: {
        reason: status.suppress,
        detail: `import:generic ${statusText}`,
      },
      ...(createdAt ? { createdAt } : {}),
    };
  }
  const consent = consentOf(
    cells.get('consent_method') || 'import:generic',
    cells.get('consent_source') || o.source,
    createdAt,
    {
      ip: cells.get('ip'),
      confirmedAt: importDate(cells.get('confirmed_at')),
      confirmedIp: cells.get('confirmed_ip'),
    },
  );
  const memberships: Record<string, ImportMembership> = {};
  for (const l of listIds) {
    const cadence = (cadenceText || o.lists[l]) as Cadence;
    memberships[l] = membership(status.status ?? 'subscribed', cadence, consent, {
      at: importDate(cells.get('unsubscribed_at')),
      reason: cells.get('unsubscribe_reason') || 'import:generic',
    });
  }
  return { ...(name ? { name } : {}), attributes, memberships, ...(createdAt ? { createdAt } : {}) };
}
