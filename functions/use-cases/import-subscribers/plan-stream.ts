// An import plan read from a stream of bytes in two passes, so that a 50 MB export never sits in memory
// whole, and everything is validated before anything is written: the first pass reads every record
// (format, bad rows, which addresses may appear more than once); the second re-reads the file and hands
// the good rows to the writer in chunks, merging the rows of a repeated address as planImport does.
//
// What the first pass keeps is small and bounded: the first MAX_KEPT_PROBLEMS bad rows (and a count of
// the rest) and one 8-byte fingerprint per row (not the address, not the row), from which the addresses
// seen twice are found. The second pass holds only the rows of those addresses until the end of the file,
// and one chunk.

import { InvalidInputError } from '../../core/errors.ts';
import { type CsvItem, readCsvStream } from '../../core/import/csv.ts';
import { decodeChunks } from '../../core/import/decode.ts';
import { ImportPlanner, mergeRows } from '../../core/import/plan-import.ts';
import type { ImportFormat, ImportProblem, ImportRow, PlanImportOptions } from '../../core/import/types.ts';

/** Reads the export from its first byte; called once per pass. */
export type ReadImport = () => AsyncIterable<Uint8Array>;

/** Bad rows kept for the report; past this many only their number is counted. */
export const MAX_KEPT_PROBLEMS = 1000;

export interface StreamedPlan {
  readonly format: ImportFormat;
  /** Data records in the file (the header excluded). */
  readonly records: number;
  /** Good rows, one per address (an upper bound until `chunks` has run: then exact). */
  readonly rows: number;
  /** Bad rows found by the first pass (all of them, even past those kept in `problems`). */
  readonly badRows: number;
  /**
   * The first MAX_KEPT_PROBLEMS bad rows (first pass), by line; conflicts between rows of one address are
   * added by `chunks`.
   */
  readonly problems: ImportProblem[];
  /** The second pass: the good rows in chunks of at most `size`, repeated addresses merged, last. */
  chunks(size: number): AsyncGenerator<ImportRow[], void, undefined>;
  /** The most rows the second pass held at once (the repeated addresses' rows and one chunk). */
  readonly peakRowsHeld: number;
}

/** Plans an import from a stream: the first pass runs now, the second when `chunks` is iterated. */
export async function planImportStream(read: ReadImport, options: PlanImportOptions): Promise<StreamedPlan> {
  const problems: ImportProblem[] = [];
  const fingerprints = new Fingerprints();
  let planner: ImportPlanner | undefined;
  let records = 0;
  let badRows = 0;
  const bad = (problem: ImportProblem) => {
    badRows++;
    if (problems.length < MAX_KEPT_PROBLEMS) problems.push(problem);
  };
  for await (const item of items(read)) {
    if ('problem' in item) {
      records++;
      bad(item.problem);
      continue;
    }
    if (!planner) {
      planner = new ImportPlanner(item.record.fields, options);
      continue;
    }
    records++;
    const mapped = planner.map(item.record);
    if ('problem' in mapped) bad(mapped.problem);
    else fingerprints.add(mapped.key);
  }
  if (!planner) throw new InvalidInputError('IMPORT_EMPTY', `${options.source}: the file has no header row`);
  problems.sort((a, b) => a.line - b.line);
  const repeated = fingerprints.repeated();
  const first = planner;
  let goodRows = fingerprints.size - repeated.extra;
  let peak = 0;
  return {
    format: first.format,
    records,
    get rows() {
      return goodRows;
    },
    badRows,
    problems,
    get peakRowsHeld() {
      return peak;
    },
    async *chunks(size) {
      // Rows of an address whose fingerprint was seen twice wait here until the end of the file.
      const held = new Map<string, ImportRow>();
      let chunk: ImportRow[] = [];
      let header = true;
      let rows = 0;
      const note = () => {
        peak = Math.max(peak, held.size + chunk.length);
      };
      for await (const item of items(read)) {
        if ('problem' in item) continue;
        if (header) {
          header = false;
          continue;
        }
        const mapped = first.map(item.record);
        if ('problem' in mapped) continue;
        if (repeated.fingerprints.has(fingerprint(mapped.key))) {
          const earlier = held.get(mapped.key);
          if (!earlier) held.set(mapped.key, mapped.row);
          else {
            const merged = mergeRows(earlier, mapped.row);
            held.set(mapped.key, merged.row);
            problems.push(...merged.conflicts);
          }
          note();
          continue;
        }
        chunk.push(mapped.row);
        rows++;
        note();
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      for (const row of held.values()) {
        chunk.push(row);
        rows++;
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      held.clear();
      if (chunk.length > 0) yield chunk;
      goodRows = rows;
      problems.sort((a, b) => a.line - b.line);
    },
  };
}

function items(read: ReadImport): AsyncGenerator<CsvItem, void, undefined> {
  return readCsvStream(decodeChunks(read()));
}

/**
 * A 53-bit fingerprint of an address key (two 32-bit FNV-1a hashes, one of them cut to 21 bits). Two keys
 * may share one: the second pass then holds both rows until the end and compares the keys themselves, so
 * a collision costs memory for two rows, never a wrong merge.
 */
function fingerprint(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** One fingerprint per good row, 8 bytes each, in a growing typed array. */
class Fingerprints {
  #values = new Float64Array(4096);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(key: string): void {
    if (this.#size === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#size++] = fingerprint(key);
  }

  /** The fingerprints seen more than once, and how many rows beyond the first they account for. */
  repeated(): { readonly fingerprints: ReadonlySet<number>; readonly extra: number } {
    const sorted = this.#values.subarray(0, this.#size).sort();
    const out = new Set<number>();
    let extra = 0;
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1]) {
        out.add(sorted[i] as number);
        extra++;
      }
    }
    this.#values = new Float64Array(0);
    return { fingerprints: out, extra };
  }
}
