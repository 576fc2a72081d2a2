import type { Cadence } from '../config/schema.ts';
import { InvalidInputError } from '../errors.ts';
import { checkEmail, emailKey } from '../subscribers/email.ts';
import { readCsv, unprotectCell } from './csv.ts';
import { detectFormat, headerKey, IMPORT_FORMATS, type ImportFormat } from './formats.ts';
import type { ImportMembership, ImportPlan, ImportProblem, ImportRow } from './types.ts';

export interface PlanImportOptions {
  /** The list rows go to when the file does not say (every format but generic's `lists` column). */
  readonly listId: string;
  /** Known lists and their default cadence (from the config). */
  readonly lists: Readonly<Record<string, Cadence>>;
  /** 'auto' (default) detects it from the header row. */
  readonly format?: ImportFormat | 'auto';
  /** Where the rows came from, kept as consent evidence (e.g. the file name). */
  readonly source: string;
}

type Cells = ReadonlyMap<string, string>;
type Mapped = Omit<ImportRow, 'line' | 'email'> | { readonly problem: Omit<ImportProblem, 'line'> };

/**
 * Reads a subscriber export and maps every row, without any I/O: the format is detected from the
 * header row (or forced), each good row becomes an ImportRow (memberships, a suppression, consent
 * evidence), and each bad row an ImportProblem with its line and reason. Unsubscribed, cleaned,
 * disabled and not-subscribed rows never become active members. Rows for an address seen before are
 * merged into the first (one row per list is fine); a contradictory status for the same list is
 * reported as a conflict and the more protective status wins. A forced format that contradicts the
 * header (another known export, or a status column it would not read) is refused.
 *
 * @example
 * planImport('email,name\nada@example.com,Ada\n', { listId: 'essays', lists: { essays: 'weekly' }, source: 'a.csv' })
 * // { format: 'generic', records: 1, rows: [{ line: 2, email: 'ada@example.com', … }], problems: [] }
 */
export function planImport(text: string, options: PlanImportOptions): ImportPlan {
  if (!(options.listId in options.lists)) {
    throw new InvalidInputError(
      'IMPORT_UNKNOWN_LIST',
      `--list ${options.listId}: no such list in the config (known: ${Object.keys(options.lists).join(', ')})`,
    );
  }
  const { records, problems } = readCsv(text);
  const [head, ...data] = records;
  if (!head) throw new InvalidInputError('IMPORT_EMPTY', `${options.source}: the file has no header row`);
  const header = head.fields.map(columnKey);
  const detected = detectFormat(head.fields);
  const forced = options.format && options.format !== 'auto' ? options.format : undefined;
  if (forced && detected && forced !== detected) refuseForcedFormat(forced, detected, header, options.source);
  const format = forced ?? detected;
  if (!format) {
    throw new InvalidInputError(
      'IMPORT_UNKNOWN_FORMAT',
      `${options.source}: cannot tell the format from the header row (${head.fields.slice(0, 6).join(',')}…); ` +
        `it needs an "email" or "Email Address" column, or pass --format (${IMPORT_FORMATS.join('|')})`,
    );
  }
  if (detected === undefined) {
    throw new InvalidInputError('IMPORT_NO_EMAIL', `${options.source}: the header row has no email column`);
  }
  const out: ImportRow[] = [];
  const seen = new Map<string, number>();
  const all: ImportProblem[] = [...problems];
  for (const record of data) {
    const { line, fields } = record;
    if (fields.length !== header.length) {
      all.push({
        line,
        code: 'column-count',
        message: `${fields.length} columns where the header has ${header.length}`,
      });
      continue;
    }
    const cells: Cells = new Map(
      header.map((h, i) => {
        const v = (fields[i] ?? '').trim();
        return [h, format === 'generic' ? unprotectCell(v) : v];
      }),
    );
    const rawEmail = cells.get('email') ?? cells.get('email address') ?? '';
    const verdict = checkEmail(rawEmail);
    if (!verdict.ok) {
      all.push({ line, code: 'invalid-email', message: verdict.message });
      continue;
    }
    const mapped = MAPPERS[format](cells, header, options);
    if ('problem' in mapped) {
      all.push({ line, ...mapped.problem });
      continue;
    }
    const k = emailKey(verdict.email);
    const at = seen.get(k);
    const earlier = at === undefined ? undefined : out[at];
    if (earlier) {
      const merged = mergeRows(earlier, { line, email: verdict.email, ...mapped });
      out[at as number] = merged.row;
      all.push(...merged.conflicts);
      continue;
    }
    seen.set(k, out.length);
    out.push({ line, email: verdict.email, ...mapped });
  }
  all.sort((a, b) => a.line - b.line);
  return { format, records: data.length + problems.length, rows: out, problems: all };
}

// ---- helpers ----

/** The columns that carry a subscriber's status, by the formats that read them. */
const STATUS_COLUMNS: Readonly<Record<string, readonly ImportFormat[]>> = {
  status: ['generic', 'listmonk'],
  email_disabled: ['substack'],
  subscribed_to_emails: ['ghost'],
  deleted_at: ['ghost'],
  unsub_time: ['mailchimp-unsubscribed'],
  clean_time: ['mailchimp-cleaned'],
};

/**
 * A forced --format is taken only when it cannot turn anyone's opt-out into a subscription: the header
 * must not look like another known export, and no status column in it may go unread.
 */
function refuseForcedFormat(
  forced: ImportFormat,
  detected: ImportFormat,
  header: readonly string[],
  source: string,
): void {
  const ignored = header.filter((h) => STATUS_COLUMNS[h] && !STATUS_COLUMNS[h]?.includes(forced));
  if (detected === 'generic' && ignored.length === 0) return;
  const why =
    detected !== 'generic'
      ? `the header row is a ${detected} export`
      : `--format ${forced} would ignore the status column${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')}`;
  throw new InvalidInputError(
    'IMPORT_FORMAT_MISMATCH',
    `${source}: ${why}, so importing it as ${forced} could subscribe people who opted out; drop --format (or pass --format ${detected})`,
  );
}

const PROTECTION: Record<ImportMembership['status'], number> = { subscribed: 0, pending: 1, unsubscribed: 2 };

/**
 * Two rows for one address: memberships of different lists add up; for the same list a contradictory
 * status is a conflict, and the more protective status wins (unsubscribed over pending over subscribed).
 * The earlier row's name, cadence and attributes win; a suppression in either row is kept.
 */
function mergeRows(a: ImportRow, b: ImportRow): { row: ImportRow; conflicts: ImportProblem[] } {
  const conflicts: ImportProblem[] = [];
  const memberships: Record<string, ImportMembership> = { ...a.memberships };
  for (const [listId, m] of Object.entries(b.memberships)) {
    const before = memberships[listId];
    if (!before) {
      memberships[listId] = m;
      continue;
    }
    if (before.status === m.status) continue;
    const kept = PROTECTION[m.status] > PROTECTION[before.status] ? m : before;
    memberships[listId] = kept;
    conflicts.push({
      line: b.line,
      code: 'conflict',
      message: `${b.email} is ${before.status} on ${listId} at line ${a.line} and ${m.status} here; kept ${kept.status}`,
    });
  }
  const suppression = a.suppression ?? b.suppression;
  const name = a.name ?? b.name;
  const createdAt = [a.createdAt, b.createdAt].filter((x): x is string => !!x).sort()[0];
  return {
    row: {
      line: a.line,
      email: a.email,
      ...(name ? { name } : {}),
      attributes: { ...b.attributes, ...a.attributes },
      memberships,
      ...(suppression ? { suppression } : {}),
      ...(createdAt ? { createdAt } : {}),
    },
    conflicts,
  };
}

const TRUE = new Set(['true', 'yes', '1', 'y', 't']);
const isTrue = (v: string | undefined) => TRUE.has((v ?? '').trim().toLowerCase());

/**
 * An ISO 8601 time from the dates exports use: ISO ("2021-03-04T12:00:00.000Z") or Mailchimp's
 * "2019-03-12 10:02:01" (taken as UTC). Undefined when empty or not a date.
 */
export function importDate(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function attributeKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The column prefix of attributes in tidings' own export (`attr.<key>`, the key as it was). */
export const ATTRIBUTE_COLUMN_PREFIX = 'attr.';

/**
 * A header cell as the mappers look it up: headerKey, except that an `attr.<key>` column keeps its key
 * as written (attribute keys are case-sensitive: `City` and `city` are two attributes).
 */
function columnKey(cell: string): string {
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

/**
 * Every non-empty column not in `used`, as attributes. An `attr.<key>` column (tidings' export) keeps
 * its key as written; other columns are keyed in snake_case.
 */
function restAsAttributes(cells: Cells, used: ReadonlySet<string>): Record<string, string> {
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

function consentOf(
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

function membership(
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

const CADENCES = new Set<Cadence>(['instant', 'daily', 'weekly']);

function nameOf(cells: Cells, full: string, first: string, last: string): string | undefined {
  const n = cells.get(full) || [cells.get(first), cells.get(last)].filter(Boolean).join(' ');
  return n ? n : undefined;
}

// ---- one mapper per format ----

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
] as const;

/** Every column the generic format reads; the others are attributes. */
const GENERIC_USED = new Set<string>([...GENERIC_COLUMNS, 'first_name', 'last_name', 'list']);

/**
 * generic: `email` (required), `name` (or `first_name`/`last_name`), `lists` (list ids separated by
 * `;` or `|`; default --list), `cadence` (instant|daily|weekly; default the list's), `status`
 * (subscribed|pending|unsubscribed, or cleaned|bounced|complained|suppressed for a suppression),
 * `created_at`, `ip`, `confirmed_at`, `confirmed_ip`, `unsubscribed_at`, `unsubscribe_reason`,
 * `consent_method`, `consent_source` (default `import:generic` and the file); `attr.<key>` columns and
 * any other column are attributes.
 */
function mapGeneric(cells: Cells, _header: readonly string[], o: PlanImportOptions): Mapped {
  const statusText = (cells.get('status') ?? '').toLowerCase();
  const status = GENERIC_STATUS[statusText];
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

/**
 * Substack (all signups: email,active_subscription,expiry,email_disabled,prefer_digests,created_at;
 * paid: email,expiry,email_disabled,prefer_digests,stripe_connected_customer_id,type):
 * `email_disabled=true` → unsubscribed; `prefer_digests=true` → weekly; paid status kept as attributes.
 */
function mapSubstack(cells: Cells, _h: readonly string[], o: PlanImportOptions): Mapped {
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
 * Mailchimp audience exports. Subscribed → subscribed, with OPTIN_TIME/OPTIN_IP/CONFIRM_TIME/CONFIRM_IP
 * as consent evidence; unsubscribed → unsubscribed at UNSUB_TIME (reason kept); cleaned → a hard-bounce
 * suppression at CLEAN_TIME. Merge fields and TAGS become attributes.
 */
function mapMailchimp(kind: 'subscribed' | 'unsubscribed' | 'cleaned') {
  return (cells: Cells, _h: readonly string[], o: PlanImportOptions): Mapped => {
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
  };
}

/**
 * Ghost members (id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,
 * created_at,deleted_at,labels,tiers): `subscribed_to_emails=false` or a `deleted_at` → unsubscribed.
 * Labels, tiers, note and the Ghost id become attributes; the Stripe id is not kept.
 */
function mapGhost(cells: Cells, _h: readonly string[], o: PlanImportOptions): Mapped {
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

const LISTMONK_STATUS: Record<string, 'subscribed' | 'unsubscribed' | 'blocklisted'> = {
  '': 'subscribed',
  enabled: 'subscribed',
  disabled: 'unsubscribed',
  blocklisted: 'blocklisted',
};

/**
 * listmonk (email,name,attributes; full exports add uuid,status,created_at,updated_at): attributes is a
 * JSON object (top-level keys kept; non-string values as JSON); status `enabled` (or none) → subscribed,
 * `disabled` → unsubscribed, `blocklisted` → a manual suppression, anything else or broken JSON → a bad row.
 */
function mapListmonk(cells: Cells, _h: readonly string[], o: PlanImportOptions): Mapped {
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
  const status = LISTMONK_STATUS[statusText];
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

const MAPPERS: Record<
  ImportFormat,
  (cells: Cells, header: readonly string[], o: PlanImportOptions) => Mapped
> = {
  generic: mapGeneric,
  substack: mapSubstack,
  'mailchimp-subscribed': mapMailchimp('subscribed'),
  'mailchimp-unsubscribed': mapMailchimp('unsubscribed'),
  'mailchimp-cleaned': mapMailchimp('cleaned'),
  ghost: mapGhost,
  listmonk: mapListmonk,
};
