import type { Cadence } from '../core/config/schema.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { ImportFormat, ImportProblem, ImportRow } from '../core/import/index.ts';
import { mergeSubscriber, newSubscriberId } from '../core/subscribers/index.ts';
import type { Clock } from '../ports/clock.ts';
import type { Membership, PutOutcome, Subscriber, SubscriberStore } from '../ports/subscriber-store.ts';
import type { Suppression, SuppressionStore } from '../ports/suppression-store.ts';
import { planImportStream, type ReadImport, type StreamedPlan } from './import-subscribers/plan-stream.ts';

export interface ImportSubscribersDeps {
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly clock: Clock;
  /** Random bytes for new subscriber ids. */
  readonly randomBytes: (n: number) => Uint8Array;
}

export interface ImportSubscribersInput {
  /** The CSV text (small files, tests); or `read`. */
  readonly text?: string;
  /**
   * Reads the file's bytes from the start, once to validate and once to write: a large export streams
   * through, never held whole. Its encoding (UTF-8, UTF-16, Windows-1252, …) is detected.
   */
  readonly read?: ReadImport;
  /** Where it came from (the file name): kept as consent evidence and shown in reports. */
  readonly source: string;
  /** The list rows go to when the file does not say. */
  readonly listId: string;
  /** Known lists and their default cadence (from the config). */
  readonly lists: Readonly<Record<string, Cadence>>;
  readonly format?: ImportFormat | 'auto';
  /** Report what would change, write nothing. */
  readonly dryRun?: boolean;
  /**
   * Import the good rows of a file that has bad ones (and report the bad ones). Without it, one bad row
   * refuses the whole file and nothing is written. @default false
   */
  readonly skipBadRows?: boolean;
  /** Rows per store call. @default 250 */
  readonly chunkSize?: number;
  /**
   * Chunks written at once. Safe because no address is in two chunks (repeated addresses are merged into
   * one row first). @default 4
   */
  readonly parallelChunks?: number;
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

export interface ImportReport {
  readonly source: string;
  readonly format: ImportFormat;
  readonly dryRun: boolean;
  /** Data records in the file. */
  readonly records: number;
  /** Good rows (subscribers and/or suppressions). */
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Good rows by the status they carry (per list membership). */
  readonly statuses: { readonly subscribed: number; readonly pending: number; readonly unsubscribed: number };
  readonly suppressions: { readonly added: number; readonly alreadySuppressed: number };
  /** Bad rows in the file (only with skipBadRows: without it, one refuses the file). */
  readonly badRows: number;
  /** The first bad rows (at most MAX_KEPT_PROBLEMS of them, by line) and conflicts between rows. */
  readonly problems: readonly ImportProblem[];
  /** The most rows held in memory at once while writing (repeated addresses wait for the end). */
  readonly peakRowsHeld: number;
  readonly elapsedMs: number;
}

/**
 * Imports a subscriber export: plans it in core (format, rows, bad rows), then merges the rows into
 * the subscriber store and the suppressions into the suppression store, in chunks. All or nothing: every
 * row is validated before the first write, and one bad row refuses the whole file with one line naming
 * it (InvalidInputError IMPORT_BAD_ROWS), unless `skipBadRows`. Idempotent: a second run of the same file
 * writes nothing and reports every row unchanged (updatedAt untouched). Rows that are unsubscribed,
 * cleaned or disabled never become active members.
 */
export async function importSubscribers(
  deps: ImportSubscribersDeps,
  input: ImportSubscribersInput,
): Promise<ImportReport> {
  const started = Date.now();
  const text = input.text ?? '';
  const read: ReadImport =
    input.read ??
    async function* () {
      yield Buffer.from(text, 'utf8');
    };
  // Everything is read and validated before the first write (planImportStream's first pass).
  const plan = await planImportStream(read, {
    listId: input.listId,
    lists: input.lists,
    source: input.source,
    ...(input.format ? { format: input.format } : {}),
  });
  if (plan.badRows > 0 && !input.skipBadRows) refuse(plan, input.source);
  const now = deps.clock.now().toISOString();
  const counts: Record<PutOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  const statuses = { subscribed: 0, pending: 0, unsubscribed: 0 };
  const suppressions = { added: 0, alreadySuppressed: 0 };
  const chunkSize = input.chunkSize ?? 250;
  const total = plan.rows;
  input.onProgress?.({ done: 0, total });

  // One run id for every chunk of this import: its chunks never hold each other up (dynamo-import-leases.ts).
  const run = Buffer.from(deps.randomBytes(12)).toString('hex');
  let done = 0;
  const writeChunk = async (chunk: ImportRow[]): Promise<void> => {
    const people = chunk
      .filter((r) => Object.keys(r.memberships).length > 0)
      .map((r) => toSubscriber(r, now, deps));
    for (const p of people) for (const m of Object.values(p.lists)) statuses[m.status]++;
    const supp: Suppression[] = chunk.flatMap((r) =>
      r.suppression
        ? [
            {
              email: r.email,
              reason: r.suppression.reason,
              at: r.suppression.at ?? now,
              detail: r.suppression.detail,
            },
          ]
        : [],
    );
    if (input.dryRun) {
      const stored = await deps.subscribers.getManyByEmail(people.map((p) => p.email));
      for (const p of people) {
        const before = stored.get(p.email);
        const merged = mergeSubscriber(before, p);
        counts[!before ? 'created' : merged.changed ? 'updated' : 'unchanged']++;
      }
      const already = await deps.suppressions.getMany(supp.map((s) => s.email));
      for (const s of supp) {
        if (already.get(s.email)?.reason === s.reason) suppressions.alreadySuppressed++;
        else suppressions.added++;
      }
    } else {
      const [results, added] = await Promise.all([
        people.length > 0 ? deps.subscribers.putMany(people, { run }) : Promise.resolve([]),
        supp.length > 0 ? deps.suppressions.putMany(supp) : Promise.resolve(0),
      ]);
      for (const r of results) counts[r.outcome]++;
      suppressions.added += added;
      suppressions.alreadySuppressed += supp.length - added;
    }
    done += chunk.length;
    input.onProgress?.({ done: Math.min(total, done), total });
  };
  // A few chunks in flight: the store calls of one chunk wait on the network, not on this process.
  const parallel = Math.max(1, input.parallelChunks ?? 4);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const chunk of plan.chunks(chunkSize)) {
    const write: Promise<void> = writeChunk(chunk)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
    if (failure) break;
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;

  return {
    source: input.source,
    format: plan.format,
    dryRun: input.dryRun ?? false,
    records: plan.records,
    rows: plan.rows,
    ...counts,
    statuses,
    suppressions,
    badRows: plan.badRows,
    problems: plan.problems,
    peakRowsHeld: plan.peakRowsHeld,
    elapsedMs: Date.now() - started,
  };
}

/** One line: the first bad row, how many there are, and that nothing was written. */
function refuse(plan: StreamedPlan, source: string): never {
  const first = plan.problems[0];
  const where = first ? `line ${first.line}: ${first.code}: ${first.message}` : 'a bad row';
  const more = plan.badRows > 1 ? `; ${plan.badRows - 1} more bad row(s)` : '';
  throw new InvalidInputError(
    'IMPORT_BAD_ROWS',
    `${source}: ${where}${more}; nothing was imported (fix the file, or pass --skip-bad-rows to import the other rows and list the bad ones)`,
  );
}

function toSubscriber(row: ImportRow, now: string, deps: ImportSubscribersDeps): Subscriber {
  const lists: Record<string, Membership> = {};
  for (const [listId, m] of Object.entries(row.memberships)) lists[listId] = { ...m, updatedAt: now };
  return {
    id: newSubscriberId(deps.randomBytes),
    email: row.email,
    ...(row.name !== undefined ? { name: row.name } : {}),
    ...(row.timeZone !== undefined ? { timeZone: row.timeZone } : {}),
    attributes: row.attributes,
    lists,
    createdAt: row.createdAt ?? now,
    updatedAt: now,
  };
}
