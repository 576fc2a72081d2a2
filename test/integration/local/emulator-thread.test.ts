// The emulators in worker threads (the layout `tidings dev` runs in): they answer like the in-process
// ones, a port in use is one line, and stop() frees the ports.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEmulatorThreads } from '../../../functions/local/emulator-thread.ts';
import { countSesStore, createTable } from '../../../functions/local/emulators.ts';
import { localClients } from '../../../functions/wiring/local.ts';

describe('startEmulatorThreads', () => {
  it('serves DynamoDB, SQS and SES from their threads, and frees the ports on stop', async () => {
    const emulators = await startEmulatorThreads({}, { sesApart: true });
    const clients = localClients(emulators);
    try {
      await createTable(clients.dynamodb, 'tidings-thread');
      const { TableNames } = await clients.dynamodb.send(new ListTablesCommand({}));
      expect(TableNames).toContain('tidings-thread');
      expect(await countSesStore(emulators.sesStoreUrl)).toBe(0);
    } finally {
      clients.destroy();
      await emulators.stop();
    }
    const port = Number(new URL(emulators.endpoints.dynamodb).port);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }, 60_000);

  it('says in one line which port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startEmulatorThreads({ ports: { dynamodb: port } }, { sesApart: true })).rejects.toThrow(
        `127.0.0.1:${port} (the DynamoDB emulator) is in use`,
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 60_000);
});
