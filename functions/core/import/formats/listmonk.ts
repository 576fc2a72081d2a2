import type { Cadence } from '../../config/schema.ts';
import { consentOf, importDate, membership } from '../row-mapping.ts';
import type { Cells, ImportFormat, MappedRow, PlanImportOptions } from '../types.ts';

const LISTMONK_STATUS: Record<string, 'subscribed' | 'unsubscribed' | 'blocklisted'> = {
  '': 'subscribed',
  enabled: 'subscribed',
  disabled: 'unsubscribed',
  blocklisted: 'blocklisted',
};

/** listmonk: `email`, `attributes` (JSON). */
export function detect(columns: ReadonlySet<string>): ImportFormat | undefined {
  return columns.has('email') && columns.has('attributes') ? 'listmonk' : undefined;
}

/**
 * listmonk (email,name,attributes; full exports add uuid,status,created_at,updated_at): attributes is a
 * JSON object (top-level keys kept; non-string values as JSON); status `enabled` (or none) → subscribed,
 * `disabled` → unsubscribed, `blocklisted` → a manual suppression, anything else or broken JSON → a bad row.
 */
export function map(cells: Cells, o: PlanImportOptions): MappedRow {
  const rawAttrs = cells.get('attributes') ?? '';
  let parsed: unknown = {};
  if (rawAttrs !== '') {
    try {
      parsed = JSON.parse(rawAttrs);
    } catch {
      return { problem: { code: 'bad-attributes-json', message: 'the attributes column is not valid JSON' } };
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      problem: { code: 'bad-attributes-json', message: 'the attributes column is not a JSON object' },
    };
  }
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v === null || v === undefined || v === '') continue;
    attributes[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const name = cells.get('name') || undefined;
  const createdAt = importDate(cells.get('created_at'));
  const statusText = (cells.get('status') ?? '').toLowerCase();
  // An own key only: `constructor` or `toString` in the file must be a bad status, not a prototype member.
  const status = Object.hasOwn(LISTMONK_STATUS, statusText) ? LISTMONK_STATUS[statusText] : undefined;
  if (!status) {
    return {
      problem: {
        code: 'bad-status',
        message: `status "${statusText}" is not enabled, disabled or blocklisted`,
      },
    };
  }
  if (status === 'blocklisted') {
    return {
      ...(name ? { name } : {}),
      attributes,
      memberships: {},
      suppression: { reason: 'manual', detail: 'import:listmonk blocklisted' },
      ...(createdAt ? { createdAt } : {}),
    };
  }
  return {
    ...(name ? { name } : {}),
    attributes,
    memberships: {
      [o.listId]: membership(
        status,
        o.lists[o.listId] as Cadence,
        consentOf('import:listmonk', o.source, createdAt),
        { reason: 'import:listmonk disabled' },
      ),
    },
    ...(createdAt ? { createdAt } : {}),
  };
}
