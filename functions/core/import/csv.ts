import { parse } from 'csv-parse/sync';
import type { ImportProblem } from './types.ts';

/** One CSV record with the line (1-based) it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Parses CSV text with csv-parse: a byte-order mark, quoted fields (with commas, quotes and line
 * breaks inside) and CRLF/CR/LF line ends are handled. A record csv-parse cannot read (a stray quote)
 * is reported with its line and the parse goes on. Empty lines are skipped.
 */
export function readCsv(text: string): { readonly records: CsvRecord[]; readonly problems: ImportProblem[] } {
  // One line-end style: csv-parse counts a CRLF inside a quoted field as two lines, which would
  // make every later line number wrong.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const problems: ImportProblem[] = [];
  const rows = parse(normalized, {
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: { lines?: number; message?: string } | undefined) => {
      problems.push({
        line: error?.lines ?? 0,
        code: 'csv-syntax',
        message: `not valid CSV: ${(error?.message ?? 'unreadable record').replace(/ at line \d+/, '')}`,
      });
    },
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  const records = rows.map(({ record, info, raw }) => {
    const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
    const inner = body.split('\n').length - 1;
    return { line: info.lines - inner, fields: record };
  });
  return { records, problems };
}

/**
 * A cell made safe for spreadsheets: one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * (a formula to Excel, LibreOffice or Sheets) gets a leading `'`; so does one that already starts with
 * `'` followed by one of those, so that {@link unprotectCell} gives every cell back exactly.
 *
 * @example
 * protectCell('=HYPERLINK("http://evil")') // `'=HYPERLINK("http://evil")`
 */
export function protectCell(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A cell as it was before {@link protectCell}.
 *
 * @example
 * unprotectCell("'+44 20 7946 0000") // '+44 20 7946 0000'
 */
export function unprotectCell(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
