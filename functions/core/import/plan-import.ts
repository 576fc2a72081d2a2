import { InvalidInputError } from '../errors.ts';
import { checkTimeZone } from '../schedule/waves.ts';
import { checkEmail, emailKey } from '../subscribers/email.ts';
import { type CsvRecord, readCsv, unprotectCell } from './csv.ts';
import { detectFormat, IMPORT_FORMATS, MAPPERS } from './formats.ts';
import { MAX_IMPORT_CELL_LENGTH, MAX_IMPORT_NAME_LENGTH } from './limits.ts';
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
  requireKnownList(options);
  const { records, problems } = readCsv(text);
  const [head, ...data] = records;
  if (!head) throw new InvalidInputError('IMPORT_EMPTY', `${options.source}: the file has no header row`);
  const planner = new ImportPlanner(head.fields, options);
  const out: ImportRow[] = [];
  const seen = new Map<string, number>();
  const all: ImportProblem[] = [...problems];
  for (const record of data) {
    const mapped = planner.map(record);
    if ('problem' in mapped) {
      all.push(mapped.problem);
      continue;
    }
    const at = seen.get(mapped.key);
    const earlier = at === undefined ? undefined : out[at];
    if (earlier) {
      const merged = mergeRows(earlier, mapped.row);
      out[at as number] = merged.row;
      all.push(...merged.conflicts);
      continue;
    }
    seen.set(mapped.key, out.length);
    out.push(mapped.row);
  }
  all.sort((a, b) => a.line - b.line);
  return { format: planner.format, records: data.length + problems.length, rows: out, problems: all };
}

/**
 * The per-record half of {@link planImport}, for a file read as a stream: built from the header row (the
 * format is detected or checked there, and refused as planImport refuses it), then each data record
 * becomes a row, with the key rows for one address share, or a problem. Every cell is capped: one longer
 * than MAX_IMPORT_CELL_LENGTH makes the row a `field-too-long` problem (a 500 KB name would otherwise
 * reach the store and fail the write half-way through the file), and names are cut to the signup
 * form's 100 characters.
 */
export class ImportPlanner {
  readonly format: ImportFormat;
  readonly #header: readonly string[];
  readonly #options: PlanImportOptions;

  constructor(headFields: readonly string[], options: PlanImportOptions) {
    requireKnownList(options);
    this.#options = options;
    this.#header = headFields.map(columnKey);
    const detected = detectFormat(headFields);
    const forced = options.format && options.format !== 'auto' ? options.format : undefined;
    if (forced && detected && forced !== detected)
      refuseForcedFormat(forced, detected, this.#header, options.source);
    const format = forced ?? detected;
    if (!format) {
      throw new InvalidInputError(
        'IMPORT_UNKNOWN_FORMAT',
        `${options.source}: cannot tell the format from the header row (${headFields.slice(0, 6).join(',')}…); ` +
          `it needs an "email" or "Email Address" column, or pass --format (${IMPORT_FORMATS.join('|')})`,
      );
    }
    if (detected === undefined) {
      throw new InvalidInputError('IMPORT_NO_EMAIL', `${options.source}: the header row has no email column`);
    }
    this.format = format;
  }

  /** One data record as a row (and the key of its address), or why it cannot be imported. */
  map(
    record: CsvRecord,
  ): { readonly row: ImportRow; readonly key: string } | { readonly problem: ImportProblem } {
    const { line, fields } = record;
    const header = this.#header;
    if (fields.length !== header.length) {
      return {
        problem: {
          line,
          code: 'column-count',
          message: `${fields.length} columns where the header has ${header.length}`,
        },
      };
    }
    const long = fields.findIndex((f) => f.length > MAX_IMPORT_CELL_LENGTH);
    if (long >= 0) {
      return {
        problem: {
          line,
          code: 'field-too-long',
          message: `column "${header[long]}" has ${(fields[long] as string).length} characters; at most ${MAX_IMPORT_CELL_LENGTH} are imported`,
        },
      };
    }
    const cells: Cells = new Map(
      header.map((h, i) => {
        const v = (fields[i] ?? '').trim();
        return [h, this.format === 'generic' ? unprotectCell(v) : v];
      }),
    );
    const rawEmail = cells.get('email') ?? cells.get('email address') ?? '';
    const verdict = checkEmail(rawEmail);
    if (!verdict.ok) return { problem: { line, code: 'invalid-email', message: verdict.message } };
    const mapped = MAPPERS[this.format](cells, this.#options);
    if ('problem' in mapped) return { problem: { line, ...mapped.problem } };
    const name = mapped.name === undefined ? undefined : capName(mapped.name);
    const zone = timeZoneOf(cells);
    if (zone.problem) return { problem: { line, ...zone.problem } };
    const { name: _, attributes, ...rest } = mapped;
    // The zone is the subscriber's own field, not an attribute as well.
    const { timezone: _tz, time_zone: _tz2, ...kept } = attributes;
    return {
      key: emailKey(verdict.email),
      row: {
        line,
        email: verdict.email,
        ...rest,
        attributes: kept,
        ...(name ? { name } : {}),
        ...(zone.timeZone ? { timeZone: zone.timeZone } : {}),
      },
    };
  }
}

/** The columns a reader's time zone is read from, in any format that has one. */
const TIME_ZONE_COLUMNS = ['timezone', 'time_zone'] as const;

/** A row's time zone: none (no column, or empty), an IANA name, or a problem for a value that is not one. */
function timeZoneOf(cells: Cells): {
  readonly timeZone?: string;
  readonly problem?: Omit<ImportProblem, 'line'>;
} {
  for (const column of TIME_ZONE_COLUMNS) {
    const value = cells.get(column);
    if (!value) continue;
    const timeZone = checkTimeZone(value);
    if (timeZone) return { timeZone };
    return {
      problem: {
        code: 'bad-time-zone',
        message: `column "${column}": ${JSON.stringify(value.slice(0, 64))} is not an IANA time zone like Europe/Berlin or America/New_York`,
      },
    };
  }
  return {};
}

function requireKnownList(options: PlanImportOptions): void {
  if (!(options.listId in options.lists)) {
    throw new InvalidInputError(
      'LIST_UNKNOWN',
      `--list ${options.listId}: no such list in the config (known: ${Object.keys(options.lists).join(', ')})`,
    );
  }
}

/** A name cut to the signup form's 100 characters (the renderer makes it one line where it must). */
function capName(name: string): string | undefined {
  const cut = name.slice(0, MAX_IMPORT_NAME_LENGTH).trim();
  return cut.length > 0 ? cut : undefined;
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
export function mergeRows(a: ImportRow, b: ImportRow): { row: ImportRow; conflicts: ImportProblem[] } {
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
  const timeZone = a.timeZone ?? b.timeZone;
  const createdAt = [a.createdAt, b.createdAt].filter((x): x is string => !!x).sort()[0];
  return {
    row: {
      line: a.line,
      email: a.email,
      ...(name ? { name } : {}),
      ...(timeZone ? { timeZone } : {}),
      attributes: { ...b.attributes, ...a.attributes },
      memberships,
      ...(suppression ? { suppression } : {}),
      ...(createdAt ? { createdAt } : {}),
    },
    conflicts,
  };
}
