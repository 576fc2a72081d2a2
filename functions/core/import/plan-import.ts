import { InvalidInputError } from '../errors.ts';
import { checkEmail, emailKey } from '../subscribers/email.ts';
import { readCsv, unprotectCell } from './csv.ts';
import { detectFormat, IMPORT_FORMATS, MAPPERS } from './formats.ts';
import { columnKey } from './row-mapping.ts';
import type {
  Cells,
  ImportFormat,
  ImportMembership,
  ImportPlan,
  ImportProblem,
  ImportRow,
  PlanImportOptions,
} from './types.ts';

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
      'LIST_UNKNOWN',
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
    const mapped = MAPPERS[format](cells, options);
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
  const ignored = header.filter(
    (h) => Object.hasOwn(STATUS_COLUMNS, h) && !STATUS_COLUMNS[h]?.includes(forced),
  );
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
