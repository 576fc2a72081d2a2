// An import plan read from a stream of bytes in two passes, so that a 50 MB export never sits in memory
// whole, and everything is validated before anything is written: the first pass reads every record
// (format, bad rows, which addresses appear more than once); the second hands the good rows to the
// writer in chunks, merging the rows of a repeated address as planImport does.

import { InvalidInputError } from '../../core/errors.ts';
import { type CsvItem, readCsvStream } from '../../core/import/csv.ts';
import { decodeChunks } from '../../core/import/decode.ts';
import { ImportPlanner, mergeRows } from '../../core/import/plan-import.ts';
import type { ImportFormat, ImportProblem, ImportRow, PlanImportOptions } from '../../core/import/types.ts';

/** Reads the export from its first byte; called once per pass. */
export type ReadImport = () => AsyncIterable<Uint8Array>;

export interface StreamedPlan {
  readonly format: ImportFormat;
  /** Data records in the file (the header excluded). */
  readonly records: number;
  /** Good rows, one per address. */
  readonly rows: number;
  /** Bad rows (first pass); conflicts between rows of one address are added by `chunks`. */
  readonly problems: ImportProblem[];
  /** The second pass: the good rows in chunks of at most `size`, repeated addresses merged, last. */
  chunks(size: number): AsyncGenerator<ImportRow[], void, undefined>;
}

/** Plans an import from a stream: the first pass runs now, the second when `chunks` is iterated. */
export async function planImportStream(read: ReadImport, options: PlanImportOptions): Promise<StreamedPlan> {
  const counts = new Map<string, number>();
  const problems: ImportProblem[] = [];
  let planner: ImportPlanner | undefined;
  let records = 0;
  for await (const item of items(read)) {
    if ('problem' in item) {
      records++;
      problems.push(item.problem);
      continue;
    }
    if (!planner) {
      planner = new ImportPlanner(item.record.fields, options);
      continue;
    }
    records++;
    const mapped = planner.map(item.record);
    if ('problem' in mapped) problems.push(mapped.problem);
    else counts.set(mapped.key, (counts.get(mapped.key) ?? 0) + 1);
  }
  if (!planner) throw new InvalidInputError('IMPORT_EMPTY', `${options.source}: the file has no header row`);
  const repeated = new Set<string>();
  for (const [key, n] of counts) if (n > 1) repeated.add(key);
  const rows = counts.size;
  counts.clear();
  const first = planner;
  return {
    format: first.format,
    records,
    rows,
    problems,
    async *chunks(size) {
      const held = new Map<string, ImportRow>();
      let chunk: ImportRow[] = [];
      let header = true;
      for await (const item of items(read)) {
        if ('problem' in item) continue;
        if (header) {
          header = false;
          continue;
        }
        const mapped = first.map(item.record);
        if ('problem' in mapped) continue;
        if (repeated.has(mapped.key)) {
          const earlier = held.get(mapped.key);
          if (!earlier) held.set(mapped.key, mapped.row);
          else {
            const merged = mergeRows(earlier, mapped.row);
            held.set(mapped.key, merged.row);
            problems.push(...merged.conflicts);
          }
          continue;
        }
        chunk.push(mapped.row);
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      for (const row of held.values()) {
        chunk.push(row);
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
      problems.sort((a, b) => a.line - b.line);
    },
  };
}

function items(read: ReadImport): AsyncGenerator<CsvItem, void, undefined> {
  return readCsvStream(decodeChunks(read()));
}
