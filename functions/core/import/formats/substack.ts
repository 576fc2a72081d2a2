import type { Cadence } from '../../config/schema.ts';
import { consentOf, importDate, isTrue, membership } from '../row-mapping.ts';
import type { Cells, ImportFormat, MappedRow, PlanImportOptions } from '../types.ts';

/** Substack: `email`, `email_disabled`, `prefer_digests` (the all-signups and the paid export). */
export function detect(columns: ReadonlySet<string>): ImportFormat | undefined {
  return columns.has('email') && columns.has('email_disabled') && columns.has('prefer_digests')
    ? 'substack'
    : undefined;
}

/**
 * Substack (all signups: email,active_subscription,expiry,email_disabled,prefer_digests,created_at;
 * paid: email,expiry,email_disabled,prefer_digests,stripe_connected_customer_id,type):
 * `email_disabled=true` → unsubscribed; `prefer_digests=true` → weekly; paid status kept as attributes.
 */
export function map(cells: Cells, o: PlanImportOptions): MappedRow {
  const createdAt = importDate(cells.get('created_at'));
  const disabled = isTrue(cells.get('email_disabled'));
  const cadence: Cadence = isTrue(cells.get('prefer_digests')) ? 'weekly' : (o.lists[o.listId] as Cadence);
  const attributes: Record<string, string> = {};
  const active = cells.get('active_subscription');
  if (active) attributes.substack_paid = String(isTrue(active));
  const type = cells.get('type');
  if (type) attributes.substack_type = type;
  const expiry = cells.get('expiry');
  if (expiry) attributes.substack_expiry = importDate(expiry) ?? expiry;
  const consent = consentOf('import:substack', o.source, createdAt);
  return {
    attributes,
    memberships: {
      [o.listId]: membership(disabled ? 'unsubscribed' : 'subscribed', cadence, consent, {
        reason: 'import:substack email_disabled',
      }),
    },
    ...(createdAt ? { createdAt } : {}),
  };
}
