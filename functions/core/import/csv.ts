import { type Options, parse as parseStream } from 'csv-parse';
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
  const rows = parse(normalized, parseOptions(problems)) as unknown as {
    record: string[];
    info: { lines: number };
    raw: string;
  }[];
  const records = rows.map(recordOf);
  return { records, problems };
}

/** csv-parse's options for both readers: a row it cannot read becomes a problem, not a thrown error. */
function parseOptions(problems: ImportProblem[]): Options {
  return {
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      problems.push(syntaxProblem(error));
      return undefined;
    },
  };
}

/** What {@link readCsvStream} yields: a record, or a record it could not read. */
export type CsvItem = { readonly record: CsvRecord } | { readonly problem: ImportProblem };

/**
 * {@link readCsv} over text that arrives in chunks: the same options, line numbers and problems, one
 * record at a time, so a 50 MB export is never held whole (nor its records). The byte-order mark is the
 * decoder's business (core/import/decode.ts).
 */
export async function* readCsvStream(texts: AsyncIterable<string>): AsyncGenerator<CsvItem, void, undefined> {
  const problems: ImportProblem[] = [];
  const parser = parseStream(parseOptions(problems));
  const feed = (async () => {
    let carry = '';
    for await (const chunk of texts) {
      // One line-end style, as in readCsv; a CR at the end of a chunk waits for a possible LF.
      let text = carry + chunk;
      carry = '';
      if (text.endsWith('\r')) {
        carry = '\r';
        text = text.slice(0, -1);
      }
      if (!parser.write(text.replace(/\r\n?/g, '\n'))) {
        await new Promise<void>((resolve) => parser.once('drain', () => resolve()));
      }
    }
    parser.end(carry ? '\n' : undefined);
  })().catch((error: unknown) => parser.destroy(error as Error));
  for await (const row of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    while (problems.length > 0) yield { problem: problems.shift() as ImportProblem };
    yield { record: recordOf(row) };
  }
  await feed;
  for (const problem of problems) yield { problem };
}

function syntaxProblem(error: { lines?: number; message?: string } | undefined): ImportProblem {
  return {
    line: error?.lines ?? 0,
    code: 'csv-syntax',
    message: `not valid CSV: ${(error?.message ?? 'unreadable record').replace(/ at line \d+/, '')}`,
  };
}

function recordOf({
  record,
  info,
  raw,
}: {
  record: string[];
  info: { lines: number };
  raw: string;
}): CsvRecord {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  const inner = body.split('\n').length - 1;
  return { line: info.lines - inner, fields: record };
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
