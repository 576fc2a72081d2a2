// Subscriber import into dynalite: the batched import (BatchGet + conditional email locks + BatchWrite)
// against the naive way (one SubscriberStore.put per row, one after another), and the emulators' startup.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../functions/adapters/aws/dynamo-suppression-store.ts';
import { planImport } from '../../functions/core/import/index.ts';
import { newSubscriberId } from '../../functions/core/subscribers/index.ts';
import { createTable, startEmulators } from '../../functions/local/emulators.ts';
import { importSubscribers } from '../../functions/use-cases/import-subscribers.ts';
import type { BenchFigure } from './run.ts';

const LISTS = { podcast: 'instant', essays: 'weekly' } as const;

export async function run(): Promise<BenchFigure[]> {
  const text = readFileSync(new URL('../../examples/subscribers.csv', import.meta.url), 'utf8');
  const emulators = await startEmulators();
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: emulators.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
  try {
    await createTable(clients.dynamodb, 'batched');
    await createTable(clients.dynamodb, 'naive');
    const stores = (tableName: string) => ({
      subscribers: new DynamoSubscriberStore({ doc: clients.doc, tableName }),
      suppressions: new DynamoSuppressionStore({ doc: clients.doc, tableName }),
      clock: { now: () => new Date('2026-04-01T00:00:00.000Z') },
      randomBytes: (n: number) => new Uint8Array(randomBytes(n)),
    });
    const input = { text, source: 'subscribers.csv', listId: 'podcast', lists: LISTS };

    // Naive: every subscriber row is one put, awaited before the next.
    const plan = planImport(text, input);
    const people = plan.rows.filter((r) => Object.keys(r.memberships).length > 0);
    const naiveStore = stores('naive').subscribers;
    let t = performance.now();
    for (const r of people) {
      await naiveStore.put({
        id: newSubscriberId((n) => new Uint8Array(randomBytes(n))),
        email: r.email,
        ...(r.name ? { name: r.name } : {}),
        attributes: r.attributes,
        lists: Object.fromEntries(
          Object.entries(r.memberships).map(([l, m]) => [l, { ...m, updatedAt: '2026-04-01T00:00:00.000Z' }]),
        ),
        createdAt: r.createdAt ?? '2026-04-01T00:00:00.000Z',
        updatedAt: '2026-04-01T00:00:00.000Z',
      });
    }
    const naiveRate = (people.length / (performance.now() - t)) * 1000;

    t = performance.now();
    const first = await importSubscribers(stores('batched'), input);
    const batchedRate = (first.rows / (performance.now() - t)) * 1000;
    t = performance.now();
    const again = await importSubscribers(stores('batched'), input);
    const againRate = (again.rows / (performance.now() - t)) * 1000;

    return [
      {
        name: 'emulators: startup (dynalite + SQS + SES, in-process)',
        value: emulators.startupMs,
        unit: 'ms',
        higherIsBetter: false,
      },
      {
        name: `import: ${first.rows} rows into dynalite`,
        value: batchedRate,
        unit: 'rows/s',
        higherIsBetter: true,
        baseline: { name: 'one put per row', value: naiveRate },
      },
      {
        name: 'import: the same file again (nothing written)',
        value: againRate,
        unit: 'rows/s',
        higherIsBetter: true,
        baseline: { name: 'first import', value: batchedRate },
      },
    ];
  } finally {
    clients.destroy();
    await emulators.stop();
  }
}
