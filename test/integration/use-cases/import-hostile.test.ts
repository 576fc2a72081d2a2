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
  it('validates every row before writing: a 500 KB name is one bad row, the 200 others are imported', async () => {
    // Prepare: 201 rows; row 190 carries a 500 KB name (larger than a DynamoDB item may be).
    const lines = ['email,name'];
    for (let i = 1; i <= 201; i++)
      lines.push(`big${i}@example.org,${i === 190 ? 'x'.repeat(500_000) : `Reader ${i}`}`);
    // Act
    const report = await importSubscribers(deps(), {
      read: bytes(Buffer.from(`${lines.join('\n')}\n`)),
      source: 'big.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    // Assess
    expect(report.rows).toBe(200);
    expect(report.created).toBe(200);
    expect(report.problems).toEqual([
      {
        line: 191,
        code: 'field-too-long',
        message: 'column "name" has 500000 characters; at most 1000 are imported',
      },
    ]);
    const store = deps().subscribers;
    expect(await store.getByEmail('big190@example.org')).toBeUndefined();
    expect((await store.getByEmail('big201@example.org'))?.name).toBe('Reader 201');
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
