// The in-process DynamoDB emulator's memory stays with what the table holds: every Query and Scan used to
// leave its iterator open (with the table snapshot it read), and every item pinned an 8 KB Buffer slab
// (emulators.ts repairLevelStores). 4,000 writes and queries grew the heap by ~10 MB and the ArrayBuffers by
// ~31 MB before the repair, ~3 MB and ~0 after.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../../helpers/emulators.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const usage = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapMb: heapUsed / 1048576, buffersMb: arrayBuffers / 1048576 };
};

describe('the in-process DynamoDB emulator', () => {
  const env = useEmulators();

  it('keeps no query iterator and no Buffer slab alive after 4,000 writes and queries', async () => {
    const { clients, tableName } = env();
    const put = (pk: string) =>
      clients.dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: pk }, sk: { S: 'PROFILE' }, name: { S: `Reader ${pk}` } },
        }),
      );
    for (let i = 0; i < 200; i++) await put(`WARM#${i}`);
    const before = usage();
    let found = 0;
    for (let i = 0; i < 4_000; i++) {
      await put(`SUB#${i}`);
      const { Items = [] } = await clients.dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `SUB#${i}` } },
        }),
      );
      if (Items[0]?.name?.S === `Reader SUB#${i}`) found++;
    }
    const after = usage();
    expect(found).toBe(4_000);
    expect(after.buffersMb - before.buffersMb).toBeLessThan(4);
    expect(after.heapMb - before.heapMb).toBeLessThan(6);
  }, 120_000);
});
