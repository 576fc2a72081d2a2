import type { Cadence } from '../../config/schema.ts';
import { consentOf, importDate, isTrue, membership } from '../row-mapping.ts';
import type { Cells, ImportFormat, MappedRow, PlanImportOptions } from '../types.ts';

/** Ghost: `email`, `subscribed_to_emails`. */
export function detect(columns: ReadonlySet<string>): ImportFormat | undefined {
  return columns.has('email') && columns.has('subscribed_to_emails') ? 'ghost' : undefined;
}

/**
 * Ghost members (id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,
 * created_at,deleted_at,labels,tiers): `subscribed_to_emails=false` or a `deleted_at` → unsubscribed.
 * Labels, tiers, note and the Ghost id become attributes; the Stripe id is not kept.
 */
export function map(cells: Cells, o: PlanImportOptions): MappedRow {
  const createdAt = importDate(cells.get('created_at'));
  const deletedAt = importDate(cells.get('deleted_at'));
  const subscribed = isTrue(cells.get('subscribed_to_emails')) && !deletedAt;
  const name = cells.get('name') || undefined;
  const attributes: Record<string, string> = {};
  for (const [col, key] of [
    ['id', 'ghost_id'],
    ['labels', 'labels'],
    ['tiers', 'tiers'],
    ['note', 'note'],
    ['complimentary_plan', 'complimentary_plan'],
  ] as const) {
    const v = cells.get(col);
    if (v) attributes[key] = v;
  }
  const consent = consentOf('import:ghost', o.source, createdAt);
  return {
    ...(name ? { name } : {}),
    attributes,
    memberships: {
      [o.listId]: membership(
        subscribed ? 'subscribed' : 'unsubscribed',
        o.lists[o.listId] as Cadence,
        consent,
        {
          at: deletedAt,
          reason: deletedAt ? 'import:ghost deleted' : 'import:ghost not subscribed to emails',
        },
      ),
    },
    ...(createdAt ? { createdAt } : {}),
  };
}
