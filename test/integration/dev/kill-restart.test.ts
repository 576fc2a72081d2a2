import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import type { Delivery } from '../../../functions/core/deliveries/model.ts';
import type { SentRecord } from '../../../functions/local/ses-journal.ts';
import { systemClock } from '../../../functions/ports/clock.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { type LocalApp, localApp, localClients, withLocalPages } from '../../../functions/wiring/local.ts';
import { aKeyRing, anExampleConfig, aPost } from '../../helpers/factories.ts';
import { manySubscribers } from '../delivery/stack.ts';
import { aDevFolder, type DevProcess, freeBasePort, startDev } from './dev-process.ts';

// Issue 13 §2: `tidings dev` killed with SIGKILL in the middle of an edition, and started again on the same
// data, must finish that edition: every reader gets exactly one message, nobody is lost or left claimed.
// The count is taken from the SES emulator's record on disk (.tidings/data/ses-sent.jsonl), which holds
// what both runs sent; the table is the killed run's LevelDB, reopened.
const READERS = 3000;
const KILL_AT = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function journal(dir: string): SentRecord[] {
  let text = '';
  try {
    text = readFileSync(join(dir, '.tidings/data/ses-sent.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as SentRecord];
      } catch {
        return []; // a line torn by the kill: its message was never answered
      }
    });
}

async function allDeliveries(local: LocalApp, editionId: string): Promise<Delivery[]> {
  const all: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await local.adapters.ledger.listByEdition(editionId, cursor, 1000);
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return all;
}

function onto(dev: DevProcess): LocalApp {
  const config = withLocalPages(anExampleConfig(), dev.info.httpUrl);
  return localApp(dev.info, {
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
  });
}

describe('tidings dev killed with SIGKILL mid-edition, then started again on the same data', () => {
  const folder = aDevFolder(400);
  let dev: DevProcess | undefined;
  afterAll(async () => {
    await dev?.stop();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('finishes the edition: every reader gets exactly one message, none lost, none left claimed', async () => {
    // Prepare: a dev stack with 3,000 readers, publishing to all of them
    const port = await freeBasePort();
    dev = await startDev(folder, port);
    const first = onto(dev);
    const readers = manySubscribers(READERS, 'podcast', 'instant');
    for (let i = 0; i < readers.length; i += 500)
      await first.adapters.subscribers.putMany(readers.slice(i, i + 500));
    const published = await first.app.publish(aPost({ id: 'ep-kill', slug: 'ep-kill', lists: ['podcast'] }));
    first.app.destroy();
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    const { editionId } = planned;

    // Act: SIGKILL once about 1,000 messages are out, then start again on the same folder and ports
    for (let i = 0; i < 3000 && journal(folder.dir).length < KILL_AT; i++) await sleep(50);
    dev.child.kill('SIGKILL');
    await new Promise((r) => dev?.child.once('exit', r));
    const sentBeforeKill = journal(folder.dir).length;
    dev = await startDev(folder, port);
    const second = onto(dev);
    const { sqs } = localClients(dev.info);
    let deliveries: Delivery[] = [];
    // Until the queue is empty and every reader has a result (the ledger is read only once the queue is).
    for (let i = 0; i < 800; i++) {
      await sleep(500);
      const queue = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: dev.info.sendQueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const queued =
        Number(queue.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(queue.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (queued > 0) continue;
      deliveries = await allDeliveries(second, editionId);
      if (deliveries.length === READERS && deliveries.every((d) => d.status !== 'claimed')) break;
    }
    sqs.destroy();
    const status = await second.app.status(editionId);
    second.app.destroy();

    // Assess
    console.info(
      `killed after ${sentBeforeKill} messages; on restart: ${JSON.stringify(dev.info.recovered)}`,
    );
    expect(sentBeforeKill).toBeGreaterThanOrEqual(KILL_AT);
    expect(sentBeforeKill).toBeLessThan(READERS);
    // The restart found the edition open and put its unsent readers back on the (empty) queue.
    expect(dev.info.recovered).toMatchObject({ editions: 1 });
    expect(dev.info.recovered?.requeued).toBeGreaterThan(0);
    const perReader = new Map<string, number>();
    for (const m of journal(folder.dir).filter((r) => r.tags.edition === editionId))
      for (const to of m.destinations) perReader.set(to, (perReader.get(to) ?? 0) + 1);
    const duplicates = [...perReader].filter(([, n]) => n > 1).map(([to]) => to);
    const lost = readers.filter((r) => !perReader.has(r.email)).map((r) => r.email);
    expect(duplicates).toEqual([]);
    expect(lost).toEqual([]);
    expect(perReader.size).toBe(READERS);
    const claimed = deliveries.filter((d) => d.status === 'claimed');
    if (claimed.length > 0)
      console.info(`left claimed: ${JSON.stringify(claimed)}\ntidings dev stderr: ${dev.stderr()}`);
    expect(claimed.map((d) => d.email)).toEqual([]);
    expect(deliveries.filter((d) => d.status === 'sent')).toHaveLength(READERS);
    // And `tidings status` says so: the killed run's unadded sums were recounted from the ledger on start.
    expect(status).toMatchObject({
      complete: true,
      counters: { planned: READERS, sent: READERS, failed: 0 },
    });
  }, 600_000);
});
