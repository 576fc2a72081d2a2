// A `kill -9` can land between dynalite's two writes of one ledger update: the stale-claim index entry
// first, the item second. Seen in CI: the kill came inside a markSent, after SES had accepted the message;
// the index entry was gone and the item still said `claimed`, so the restart neither reconciled that
// reader (findStaleClaims reads the index) nor put them back on the queue (they had a delivery). This
// recreates that state on disk, in the LevelDB the local stack keeps, and starts the stack again on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../../functions/adapters/aws/dynamo-table.ts';
import { deliveryTags } from '../../../functions/core/editions/edition-id.ts';
import { LOCAL_TABLE, type LocalStack } from '../../../functions/local/local-stack.ts';
import { readSentRecords } from '../../../functions/local/ses-journal.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, manySubscribers, seed } from '../delivery/stack.ts';

// dynalite's own LevelDB binding, to edit its files as the kill left them.
const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as {
  Level: new (
    path: string,
  ) => {
    open(): Promise<void>;
    keys(): AsyncIterable<string>;
    del(key: string): Promise<void>;
    close(): Promise<void>;
  };
};

/**
 * Deletes the stale-claim index entries of these subscribers; returns how many it deleted. dynalite keys an
 * index entry `index-global~<table>~<index>~<hash>/<hex of the index key>/…`: the sort key ends `#<id>`.
 */
async function dropIndexEntries(dataDir: string, subscriberIds: readonly string[]): Promise<number> {
  const db = new Level(join(dataDir, 'dynamodb'));
  await db.open();
  const doomed: string[] = [];
  const prefix = `index-global~${LOCAL_TABLE}~${TABLE_KEYS.gsi2.name}~`;
  const hex = subscriberIds.map((id) => Buffer.from(`#${id}`).toString('hex'));
  for await (const key of db.keys())
    if (key.startsWith(prefix) && hex.some((h) => key.includes(h))) doomed.push(key);
  for (const key of doomed) await db.del(key);
  await db.close();
  return doomed.length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tidings dev restarted on a table whose claims lost their index entries', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-lost-index-'));
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('confirms the claim SES accepted, sends the one it never saw, and leaves none claimed', async () => {
    // Prepare: an edition of 4 readers planned, 2 of them claimed by a sender that then died: one after
    // SES accepted its message (its markSent lost), one before it called SES.
    const readers = manySubscribers(4, 'podcast', 'instant');
    const [accepted, unsent] = readers;
    if (!accepted || !unsent) throw new Error('4 readers expected');
    stack = await aLocalStack({ dataDir, startRunner: false });
    await seed(stack, readers);
    const published = await stack.app.publish(aPost({ id: 'ep-idx', slug: 'ep-idx', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    const { editionId } = planned;
    const now = new Date(Date.now() - 1000).toISOString();
    for (const r of [accepted, unsent])
      await stack.adapters.ledger.claim({ editionId, subscriberId: r.id }, r.email, now);
    await stack.adapters.transport.sendRaw('Subject: ep-idx\r\n\r\nhello\r\n', {
      from: 'podcast@example.com',
      to: accepted.email,
      tags: deliveryTags({ listId: 'podcast', editionId, subscriberId: accepted.id }),
    });
    await stack.stop();
    stack = undefined;
    const dropped = await dropIndexEntries(dataDir, [accepted.id, unsent.id]);

    // Act: start again on the same data, with the runner
    stack = await aLocalStack({ dataDir });
    const ledger = stack.adapters.ledger;
    for (let i = 0; i < 100; i++) {
      const page = await ledger.listByEdition(editionId, undefined, 100);
      if (page.items.length === 4 && page.items.every((d) => d.status === 'sent')) break;
      await sleep(100);
    }

    // Assess
    expect(dropped).toBe(2);
    expect(stack.recovered).toMatchObject({ editions: 1, confirmed: 1, resent: 1, requeued: 2 });
    const perReader = new Map<string, number>();
    for (const m of await readSentRecords(stack.emulators.sesStoreUrl))
      for (const to of m.destinations) perReader.set(to, (perReader.get(to) ?? 0) + 1);
    expect(Object.fromEntries(perReader)).toEqual(Object.fromEntries(readers.map((r) => [r.email, 1])));
    const deliveries = (await ledger.listByEdition(editionId, undefined, 100)).items;
    expect(deliveries.map((d) => [d.email, d.status])).toEqual(readers.map((r) => [r.email, 'sent']));
  }, 60_000);
});
