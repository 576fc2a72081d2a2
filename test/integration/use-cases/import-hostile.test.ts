// Hostile and foreign-made exports (issue 13 §4), on the emulators: a row too large for the store, and
// files in the encodings Excel writes.
import { describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../../functions/adapters/aws/dynamo-suppression-store.ts';
import { importSubscribers } from '../../../functions/use-cases/import-subscribers.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const LISTS = { podcast: 'instant', essays: 'weekly' } as const;
let counter = 0;

function deps() {
  const dynamo = { doc: env().clients.doc, tableName: env().tableName };
  return {
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    clock: { now: () => new Date('2026-04-01T12:00:00.000Z') },
    randomBytes: (n: number) => {
      const b = new Uint8Array(n);
      new DataView(b.buffer).setUint32(0, ++counter);
      return b;
    },
  };
}

/** The file's bytes, read in 1 KB chunks as a file stream would hand them over. */
const bytes = (data: Buffer) =>
  async function* () {
    for (let i = 0; i < data.length; i += 1024) yield data.subarray(i, i + 1024);
  };

describe('importSubscribers with hostile rows', () => {
  /** 201 rows; the row on line 191 carries a 500 KB name (larger than a DynamoDB item may be). */
  function bigNameFile(tag: string): Buffer {
    const lines = ['email,name'];
    for (let i = 1; i <= 201; i++)
      lines.push(`${tag}${i}@example.org,${i === 190 ? 'x'.repeat(500_000) : `Reader ${i}`}`);
    return Buffer.from(`${lines.join('\n')}\n`);
  }

  it('refuses the whole file for one bad row: a 500 KB name names its line, and nothing is written', async () => {
    // Act
    const importing = importSubscribers(deps(), {
      read: bytes(bigNameFile('whole')),
      source: 'big.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    // Assess
    await expect(importing).rejects.toMatchObject({
      code: 'IMPORT_BAD_ROWS',
      message:
        'big.csv: line 191: field-too-long: column "name" has 500000 characters; at most 1000 are imported; nothing was imported (fix the file, or pass --skip-bad-rows to import the other rows and list the bad ones)',
    });
    const store = deps().subscribers;
    const found = await store.getManyByEmail(
      Array.from({ length: 201 }, (_, i) => `whole${i + 1}@example.org`),
    );
    expect(found.size).toBe(0);
  });

  it('with skipBadRows, imports the 200 good rows and reports the bad one', async () => {
    // Act
    const report = await importSubscribers(deps(), {
      read: bytes(bigNameFile('skip')),
      source: 'big.csv',
      listId: 'podcast',
      lists: LISTS,
      skipBadRows: true,
    });
    // Assess
    expect(report.rows).toBe(200);
    expect(report.created).toBe(200);
    expect(report.badRows).toBe(1);
    expect(report.problems).toEqual([
      {
        line: 191,
        code: 'field-too-long',
        message: 'column "name" has 500000 characters; at most 1000 are imported',
      },
    ]);
    const store = deps().subscribers;
    expect(await store.getByEmail('skip190@example.org')).toBeUndefined();
    expect((await store.getByEmail('skip201@example.org'))?.name).toBe('Reader 201');
  });

  it('holds one chunk of rows at a time, plus the rows of addresses that appear twice, however long the file', async () => {
    // Prepare: 1,200 rows, of which two addresses appear twice (lines 3 and 1,199; 10 and 600).
    const lines = ['email,name,lists'];
    for (let i = 1; i <= 1200; i++) lines.push(`held${i}@example.org,Reader ${i},podcast`);
    lines[1198] = 'HELD2@example.org,Second,essays';
    lines[599] = 'held9@example.org,Again,podcast';
    // Act
    const report = await importSubscribers(deps(), {
      read: bytes(Buffer.from(`${lines.join('\n')}\n`)),
      source: 'held.csv',
      listId: 'podcast',
      lists: LISTS,
      chunkSize: 50,
    });
    // Assess: every address once, the repeated ones merged; never more than a chunk and those 2 held.
    expect(report.rows).toBe(1198);
    expect(report.created).toBe(1198);
    expect(report.peakRowsHeld).toBeLessThanOrEqual(50 + 2);
    const twice = await deps().subscribers.getByEmail('held2@example.org');
    expect(Object.keys(twice?.lists ?? {}).sort()).toEqual(['essays', 'podcast']);
  });

  it('cuts a long name to the 100 characters the signup form keeps', async () => {
    // Act
    await importSubscribers(deps(), {
      text: `email,name\nlongname@example.org,${'N'.repeat(400)}\n`,
      source: 'long.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    // Assess
    expect((await deps().subscribers.getByEmail('longname@example.org'))?.name).toBe('N'.repeat(100));
  });
});

describe('importSubscribers and encodings', () => {
  const names = ['Zoë Müller', 'François “Frank” Bréal', 'Ångström Øre'];
  const csv = `email,name\n${names.map((n, i) => `enc${i}@example.org,${n}`).join('\n')}\n`;
  /** The same file for other addresses, so that each case's names are its own. */
  const retag = (data: Buffer, tag: string, enc: BufferEncoding) =>
    Buffer.from(data.toString(enc).replaceAll('@example.org', `@${tag}.example.org`), enc);

  it.each([
    [
      'Windows-1252 (Excel "Save as CSV")',
      'windows-1252',
      Buffer.from(csv.replace('“', '\x93').replace('”', '\x94'), 'latin1'),
    ],
    [
      'UTF-16LE with a byte-order mark (Excel "Unicode text")',
      'utf16le-bom',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    ],
    [
      'UTF-16BE with a byte-order mark',
      'utf16be-bom',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]),
    ],
    [
      'UTF-8 with a byte-order mark',
      'utf8-bom',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]),
    ],
  ])('reads the names of a %s file as they were written', async (_label, tag, data) => {
    // Prepare: each case writes to its own addresses.
    const encoding: BufferEncoding = tag.startsWith('utf16') ? 'utf16le' : 'latin1';
    const mine =
      tag === 'utf16be-bom'
        ? retag(Buffer.from(data).swap16(), tag, encoding).swap16()
        : retag(data, tag, encoding);
    // Act
    const report = await importSubscribers(deps(), {
      read: bytes(mine),
      source: `${tag}.csv`,
      listId: 'essays',
      lists: LISTS,
    });
    // Assess
    expect(report.problems).toEqual([]);
    expect(report.rows).toBe(3);
    const stored = await Promise.all(
      names.map((_, i) => deps().subscribers.getByEmail(`enc${i}@${tag}.example.org`)),
    );
    expect(stored.map((s) => s?.name)).toEqual(names);
  });
});
