import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the SES emulator's front records of one accepted message (no body: the mailbox view has it). */
export interface SentRecord {
  readonly messageId: string;
  /** Epoch seconds. */
  readonly at: number;
  readonly source?: string;
  readonly destinations: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly configurationSet?: string;
}

export interface SentJournal {
  /** The records of earlier runs, oldest first, as read when the journal was opened. */
  readonly records: readonly SentRecord[];
  /** Appends one record, synchronously: it is on disk before the emulator answers the sender. */
  append(record: SentRecord): void;
  /** Empties the journal (the emulator's `POST /clear-store`). */
  clear(): void;
}

/**
 * The SES emulator's record of what it accepted, kept on disk (one JSON line per message) so that it
 * outlives the process. It is what SES's Send events are to the deployed stack: reconciliation after a
 * `kill -9` reads it to tell a claim SES accepted (mark it sent) from one it never saw (send it). It is
 * written before the emulator answers, so a message the sender saw accepted is always in it; a message
 * in it whose answer never reached the sender is confirmed from it, not sent twice. A torn last line (a
 * kill in the middle of a write) is ignored: that message's answer was not sent either.
 */
export function openSentJournal(path: string): SentJournal {
  mkdirSync(dirname(path), { recursive: true });
  const records: SentRecord[] = [];
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as SentRecord);
    } catch {
      // the torn last line of a killed process
    }
  }
  // A torn line would glue itself to the next record: start the next one on a line of its own.
  if (text !== '' && !text.endsWith('\n')) appendFileSync(path, '\n');
  return {
    records,
    append(record) {
      appendFileSync(path, `${JSON.stringify(record)}\n`);
    },
    clear() {
      writeFileSync(path, '');
    },
  };
}

/**
 * What the SES emulator accepted, oldest first: message id, envelope, tags and time, without the body.
 * Unlike readSesStore, it includes the messages of earlier runs of a stack kept on disk (`dataDir`).
 */
export async function readSentRecords(storeUrl: string): Promise<SentRecord[]> {
  const base = storeUrl.replace(/\/store\/?$/, '');
  const sent = (await fetch(`${base}/tidings/sent`).then((r) => r.json())) as Record<
    string,
    Omit<SentRecord, 'messageId' | 'at'> & { at?: number }
  >;
  return Object.entries(sent).map(([messageId, e]) => ({
    messageId,
    at: e.at ?? 0,
    destinations: e.destinations,
    tags: e.tags,
    ...(e.source ? { source: e.source } : {}),
    ...(e.configurationSet ? { configurationSet: e.configurationSet } : {}),
  }));
}
