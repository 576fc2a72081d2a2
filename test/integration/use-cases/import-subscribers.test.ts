import { readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../../functions/adapters/aws/dynamo-suppression-store.ts';
import { importSubscribers } from '../../../functions/use-cases/import-subscribers.ts';
import { exportMembers, listMembers } from '../../../functions/use-cases/manage-subscribers.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const LISTS = { podcast: 'instant', essays: 'weekly' } as const;
let counter = 0;

function deps(now = '2026-04-01T12:00:00.000Z') {
  const dynamo = { doc: env().clients.doc, tableName: env().tableName };
  return {
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    clock: { now: () => new Date(now) },
    randomBytes: (n: number) => {
      const b = new Uint8Array(n);
      new DataView(b.buffer).setUint32(0, ++counter);
      return b;
    },
  };
}

const file = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

async function activeEmails(listId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const m of listMembers(deps(), { listId, status: 'subscribed' }))
    out.push(m.email.toLowerCase());
  return out;
}

describe('importSubscribers', () => {
  it('imports the example file with --skip-bad-rows: good rows in, bad rows reported by line, nobody unsubscribed or suppressed made active', async () => {
    // Act
    const report = await importSubscribers(deps(), {
      text: file('../../../examples/subscribers.csv'),
      source: 'subscribers.csv',
      listId: 'podcast',
      lists: LISTS,
      skipBadRows: true,
    });
    // Assess
    expect(report.format).toBe('generic');
    expect(report.records).toBe(1006);
    expect(report.problems.map((p) => p.code).sort()).toEqual([
      'bad-cadence',
      'column-count',
      'invalid-email',
      'invalid-email',
      'invalid-email',
      'unknown-list',
    ]);
    expect(report.problems.every((p) => p.line > 1)).toBe(true);
    expect(report.badRows).toBe(6);
    expect(report.created).toBe(
      report.rows - (report.suppressions.added + report.suppressions.alreadySuppressed),
    );
    expect(report.suppressions.added).toBeGreaterThan(10);
    const active = new Set([...(await activeEmails('podcast')), ...(await activeEmails('essays'))]);
    const suppressed = await deps().suppressions.getMany([...active]);
    expect(suppressed.size).toBe(0);
    const unsubscribedInFile = file('../../../examples/subscribers.csv')
      .split('\r\n')
      .filter((l) => l.includes(',unsubscribed,'))
      .map((l) => l.split(',')[0]?.trim().toLowerCase() ?? '');
    expect(unsubscribedInFile.length).toBeGreaterThan(10);
    for (const e of unsubscribedInFile) expect(active.has(e)).toBe(false);
  });

  it('changes nothing when the same file is imported again', async () => {
    // Prepare
    const before = await deps().subscribers.getByEmail('noah.lovelace.1@example.org');
    // Act
    const again = await importSubscribers(deps('2026-05-01T00:00:00.000Z'), {
      text: file('../../../examples/subscribers.csv'),
      source: 'subscribers.csv',
      listId: 'podcast',
      lists: LISTS,
      skipBadRows: true,
    });
    // Assess
    expect(again.created).toBe(0);
    expect(again.updated).toBe(0);
    expect(again.unchanged).toBe(again.rows - again.suppressions.alreadySuppressed);
    expect(again.suppressions.added).toBe(0);
    const after = await deps().subscribers.getByEmail('noah.lovelace.1@example.org');
    expect(after).toEqual(before);
    expect(after?.updatedAt).toBe('2026-04-01T12:00:00.000Z');
  });

  it('reports a dry run without writing anything', async () => {
    const report = await importSubscribers(deps(), {
      text: file('../../fixtures/import/ghost.csv'),
      source: 'ghost.csv',
      listId: 'essays',
      lists: LISTS,
      dryRun: true,
    });
    expect(report).toMatchObject({ dryRun: true, created: 3 });
    expect(await deps().subscribers.getByEmail('member@example.com')).toBeUndefined();
  });

  it('imports a Mailchimp audience in three files: subscribed, unsubscribed and cleaned', async () => {
    for (const name of ['mailchimp-subscribed.csv', 'mailchimp-unsubscribed.csv', 'mailchimp-cleaned.csv']) {
      await importSubscribers(deps(), {
        text: file(`../../fixtures/import/${name}`),
        source: name,
        listId: 'essays',
        lists: LISTS,
      });
    }
    const anna = await deps().subscribers.getByEmail('anna@example.com');
    expect(anna?.lists.essays?.consent).toMatchObject({ ip: '192.0.2.10', confirmedIp: '192.0.2.10' });
    expect((await deps().subscribers.getByEmail('quit@example.com'))?.lists.essays?.status).toBe(
      'unsubscribed',
    );
    expect((await deps().suppressions.get('bounce@example.com'))?.reason).toBe('hard-bounce');
    expect(await deps().subscribers.getByEmail('bounce@example.com')).toBeUndefined();
  });

  it('does not resubscribe someone an earlier import unsubscribed when a later file lists them as subscribed', async () => {
    await importSubscribers(deps(), {
      text: 'email,status\nlater@example.com,unsubscribed\n',
      source: 'a.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    const second = await importSubscribers(deps(), {
      text: 'email,status\nlater@example.com,subscribed\n',
      source: 'b.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    expect(second.unchanged).toBe(1);
    expect((await deps().subscribers.getByEmail('later@example.com'))?.lists.podcast?.status).toBe(
      'unsubscribed',
    );
  });

  it('exports a list in the generic format, which imports back unchanged', async () => {
    const { columns, rows } = await exportMembers(deps(), { listId: 'essays' });
    expect(columns.slice(0, 5)).toEqual(['email', 'name', 'lists', 'cadence', 'status']);
    const anna = rows.find((r) => r.email === 'anna@example.com');
    expect(anna).toMatchObject({
      status: 'subscribed',
      ip: '192.0.2.10',
      'attr.address': 'Hauptstr. 1, 10115 Berlin',
    });
    const csv = stringify(rows, { header: true, columns });
    const back = await importSubscribers(deps(), {
      text: csv,
      source: 'export.csv',
      listId: 'essays',
      lists: LISTS,
    });
    expect(back.problems).toEqual([]);
    expect(back).toMatchObject({ created: 0, updated: 0, unchanged: rows.length });
  });

  it('exports formulas as text, keeps attributes out of the fixed columns, and imports back as it was', async () => {
    // Prepare: a member whose name is a formula and whose attributes are named like fixed columns
    const at = '2025-02-03T04:05:06.000Z';
    const member = {
      id: 's_roundtrip',
      email: 'round@example.com',
      name: '=HYPERLINK("https://evil.example","click")',
      attributes: {
        email: 'evil@example.com',
        status: 'subscribed',
        phone: '+44 20 7946 0000',
        City: 'Lyon',
      },
      lists: {
        podcast: {
          status: 'unsubscribed' as const,
          cadence: 'instant' as const,
          updatedAt: at,
          unsubscribedAt: '2025-06-01T00:00:00.000Z',
          unsubscribeReason: 'too many emails',
          consent: { at, method: 'double-opt-in', source: 'https://site.example/join', ip: '192.0.2.44' },
        },
      },
      createdAt: at,
      updatedAt: at,
    };
    await deps().subscribers.put(member);

    // Act
    const { columns, rows } = await exportMembers(deps(), { listId: 'podcast' });
    const csv = stringify(rows, { header: true, columns });
    await deps().subscribers.remove(member.id);
    const back = await importSubscribers(deps(), {
      text: csv,
      source: 'export.csv',
      listId: 'podcast',
      lists: LISTS,
    });

    // Assess
    const row = rows.find((r) => r.email === 'round@example.com');
    expect(row).toMatchObject({
      email: 'round@example.com',
      status: 'unsubscribed',
      name: `'=HYPERLINK("https://evil.example","click")`,
      'attr.email': 'evil@example.com',
      'attr.status': 'subscribed',
      'attr.phone': "'+44 20 7946 0000",
    });
    expect(back.problems).toEqual([]);
    const again = await deps().subscribers.getByEmail('round@example.com');
    expect(again?.name).toBe(member.name);
    expect(again?.attributes).toEqual(member.attributes);
    expect(again?.lists.podcast).toMatchObject({
      status: 'unsubscribed',
      cadence: 'instant',
      unsubscribedAt: '2025-06-01T00:00:00.000Z',
      unsubscribeReason: 'too many emails',
      consent: { at, method: 'double-opt-in', source: 'https://site.example/join', ip: '192.0.2.44' },
    });
  });
});
