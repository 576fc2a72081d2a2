// The batched import (blind BatchWriteItem for new addresses, under import leases) against dynalite: a
// sign-up that lands between the import's read of an address and its write is never lost, and a
// 2,000-row import writes each row exactly once.
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../../functions/adapters/aws/dynamo-suppression-store.ts';
import { createTable } from '../../../functions/local/emulators.ts';
import type { Subscriber } from '../../../functions/ports/subscriber-store.ts';
import { importSubscribers } from '../../../functions/use-cases/import-subscribers.ts';
import { listMembers } from '../../../functions/use-cases/manage-subscribers.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const LISTS = { podcast: 'instant', essays: 'weekly' } as const;
const AT = '2026-04-01T12:00:00.000Z';
let tables = 0;
let ids = 0;

type Send = DynamoDBDocumentClient['send'];

/** The emulator's client, with `before` run ahead of every command it sends. */
function watched(before: (command: unknown) => Promise<void>): DynamoDBDocumentClient {
  const doc = env().clients.doc;
  const send = (async (command: Parameters<Send>[0]) => {
    await before(command);
    return doc.send(command);
  }) as Send;
  return { send } as DynamoDBDocumentClient;
}

async function freshTable(): Promise<string> {
  const name = `import-${++tables}`;
  await createTable(env().clients.dynamodb, name);
  return name;
}

function deps(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    subscribers: new DynamoSubscriberStore({ doc, tableName }),
    suppressions: new DynamoSuppressionStore({ doc: env().clients.doc, tableName }),
    clock: { now: () => new Date(AT) },
    randomBytes: (n: number) => {
      const b = new Uint8Array(n);
      new DataView(b.buffer).setUint32(0, ++ids);
      return b;
    },
  };
}

function csv(n: number, from = 0, list = 'podcast'): string {
  const rows = ['email,name,lists,status'];
  for (let i = from; i < from + n; i++) rows.push(`reader.${i}@example.org,Reader ${i},${list},subscribed`);
  return `${rows.join('\n')}\n`;
}

/** Every subscriber in the table, by keyset pages. */
async function everyone(store: DynamoSubscriberStore): Promise<Subscriber[]> {
  const out: Subscriber[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.pageAll(cursor, 500);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

async function members(store: DynamoSubscriberStore, listId: string, status: 'subscribed' | 'pending') {
  const out: string[] = [];
  const manage = { subscribers: store } as Parameters<typeof listMembers>[0];
  for await (const m of listMembers(manage, { listId, status })) out.push(m.email);
  return out.sort();
}

function signup(email: string): Subscriber {
  return {
    id: `s_signup_${email}`,
    email,
    name: 'Signed Up',
    attributes: { source: 'form' },
    lists: { essays: { status: 'pending', cadence: 'weekly', updatedAt: AT } },
    createdAt: AT,
    updatedAt: AT,
  };
}

describe('DynamoSubscriberStore.putMany (import batches)', () => {
  it('keeps a sign-up that takes the address between the import reading it as new and writing it', async () => {
    // Prepare: the sign-up of reader.7 starts when the import is about to write reader.7's email lock
    // (it read the address as free), and the import goes on once the sign-up holds the lock.
    const tableName = await freshTable();
    const victim = 'reader.7@example.org';
    const plain = deps(env().clients.doc, tableName);
    let signupDone: Promise<unknown> | undefined;
    let lockTaken: () => void = () => {};
    const signupHasLock = new Promise<void>((resolve) => {
      lockTaken = resolve;
    });
    const signupDoc = env().clients.doc;
    const importing = deps(
      watched(async (command) => {
        if (signupDone || !(command instanceof BatchWriteCommand)) return;
        const requests = Object.values(command.input.RequestItems ?? {}).flat();
        const locks = requests.some((r) => r.PutRequest?.Item?.pk === `EMAIL#${victim}`);
        if (!locks) return;
        signupDone = new DynamoSubscriberStore({
          doc: {
            send: (async (c: Parameters<Send>[0]) => {
              const result = await signupDoc.send(c);
              if (c instanceof PutCommand && c.input.Item?.pk === `EMAIL#${victim}`) lockTaken();
              return result;
            }) as Send,
          } as DynamoDBDocumentClient,
          tableName,
        }).put(signup(victim));
        await signupHasLock;
      }),
      tableName,
    );
    // Act
    const report = await importSubscribers(importing, {
      text: csv(20),
      source: 'race.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    await signupDone;
    // Assess: the sign-up happened in the window, and one subscriber holds both the imported row and the
    // sign-up (its pending list, its name and attributes were merged in, not dropped).
    expect(signupDone).toBeDefined();
    expect(report.rows).toBe(20);
    const all = await everyone(plain.subscribers);
    const victims = all.filter((s) => s.email === victim);
    expect(victims).toHaveLength(1);
    expect(victims[0]?.lists.podcast?.status).toBe('subscribed');
    expect(victims[0]?.lists.essays?.status).toBe('pending');
    expect(victims[0]?.attributes.source).toBe('form');
    expect((await plain.subscribers.getByEmail(victim))?.id).toBe(victims[0]?.id);
    expect(await members(plain.subscribers, 'essays', 'pending')).toEqual([victim]);
    expect(all).toHaveLength(20);
    expect(await members(plain.subscribers, 'podcast', 'subscribed')).toHaveLength(20);
  });

  it('writes each of 2,000 rows exactly once: one profile per address, every member once on the list', async () => {
    // Prepare: count the profile writes per subscriber as they go to dynalite.
    const tableName = await freshTable();
    const profileWrites = new Map<string, number>();
    const counting = watched(async (command) => {
      const puts =
        command instanceof BatchWriteCommand
          ? Object.values(command.input.RequestItems ?? {})
              .flat()
              .map((r) => r.PutRequest?.Item)
          : command instanceof PutCommand
            ? [command.input.Item]
            : [];
      for (const item of puts) {
        if (item?.sk === 'PROFILE') profileWrites.set(item.email, (profileWrites.get(item.email) ?? 0) + 1);
      }
    });
    const d = deps(counting, tableName);
    // Act
    const report = await importSubscribers(d, {
      text: csv(2000),
      source: 'big.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    const again = await importSubscribers(d, {
      text: csv(2000),
      source: 'big.csv',
      listId: 'podcast',
      lists: LISTS,
    });
    // Assess
    expect(report.created).toBe(2000);
    expect(again.unchanged).toBe(2000);
    expect(profileWrites.size).toBe(2000);
    expect([...profileWrites.values()].every((n) => n === 1)).toBe(true);
    const all = await everyone(d.subscribers);
    expect(all).toHaveLength(2000);
    expect(new Set(all.map((s) => s.email)).size).toBe(2000);
    const listed = await members(d.subscribers, 'podcast', 'subscribed');
    expect(listed).toHaveLength(2000);
    expect(new Set(listed).size).toBe(2000);
  });

  it('makes one subscriber of an address that two imports running at once both bring, with both lists', async () => {
    // Prepare: two exports that share 250 addresses (readers 0-249), one for each list.
    const tableName = await freshTable();
    const one = deps(env().clients.doc, tableName);
    const other = deps(env().clients.doc, tableName);
    // Act: both at once, in chunks of 50 so that their chunks interleave.
    const [a, b] = await Promise.all([
      importSubscribers(one, {
        text: csv(500, 0, 'podcast'),
        source: 'a.csv',
        listId: 'podcast',
        lists: LISTS,
        chunkSize: 50,
      }),
      importSubscribers(other, {
        // The shared addresses first in both files, so that both imports reach them at the same time.
        text: `${csv(250, 0, 'essays')}${csv(250, 500, 'essays').split('\n').slice(1).join('\n')}`,
        source: 'b.csv',
        listId: 'essays',
        lists: LISTS,
        chunkSize: 50,
      }),
    ]);
    // Assess
    expect(a.rows + b.rows).toBe(1000);
    const all = await everyone(one.subscribers);
    expect(all).toHaveLength(750);
    expect(new Set(all.map((s) => s.email)).size).toBe(750);
    const both = all.filter((s) => s.lists.podcast && s.lists.essays).map((s) => s.email);
    expect(both).toHaveLength(250);
    expect(await members(one.subscribers, 'podcast', 'subscribed')).toHaveLength(500);
    expect(await members(one.subscribers, 'essays', 'subscribed')).toHaveLength(500);
    for (const s of all.slice(0, 50)) expect((await one.subscribers.getByEmail(s.email))?.id).toBe(s.id);
  });
});
