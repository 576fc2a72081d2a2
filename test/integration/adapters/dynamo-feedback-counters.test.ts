import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DynamoFeedbackStore,
  FEEDBACK_COUNTER_SHARDS,
} from '../../../functions/adapters/aws/dynamo-feedback-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';

// A list's daily feedback counters are spread over shards, so no single item takes every SES event's
// write (one item takes about 1,000 writes/s; 1,000 events/s need about 2,000), and a read sums them.
const env = useEmulators();

async function counterItems(listId: string, day: string) {
  const out = await env().clients.doc.send(
    new QueryCommand({
      TableName: env().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
      ExpressionAttributeValues: { ':pk': `LIST#${listId}`, ':day': `HEALTH#${day}` },
    }),
  );
  return out.Items ?? [];
}

describe('DynamoFeedbackStore counters', () => {
  it('spreads 400 concurrent writes of one list and day over every shard, and sums them exactly', async () => {
    // Prepare: several processes (feedback invocations) write at once.
    const processes = Array.from(
      { length: 4 },
      () => new DynamoFeedbackStore({ doc: env().clients.doc, tableName: env().tableName }),
    );
    // Act
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        (processes[i % 4] as DynamoFeedbackStore).addListCounts(
          'hot',
          '2026-06-01',
          i % 40 === 0 ? { sent: 1, bounced: 1 } : { sent: 1 },
        ),
      ),
    );
    const counts = await new DynamoFeedbackStore({
      doc: env().clients.doc,
      tableName: env().tableName,
    }).listCounts('hot', ['2026-05-31', '2026-06-01']);
    // Assess: no item took more than a fraction of the writes, and nothing was lost.
    const items = await counterItems('hot', '2026-06-01');
    expect(items).toHaveLength(FEEDBACK_COUNTER_SHARDS);
    const perItem = items.map((item) => Number(item.sent));
    expect(Math.max(...perItem)).toBeLessThanOrEqual(400 / FEEDBACK_COUNTER_SHARDS + 4);
    expect(counts).toEqual({ sent: 400, bounced: 10, complained: 0 });
  });

  it('still counts the unsharded item an earlier version wrote, over a 7-day window', async () => {
    // Prepare: the counters of one day as the previous version stored them, and new sharded writes.
    await env().clients.doc.send(
      new PutCommand({
        TableName: env().tableName,
        Item: { pk: 'LIST#upgraded', sk: 'HEALTH#2026-06-02', sent: 1000, bounced: 30, complained: 1 },
      }),
    );
    const store = new DynamoFeedbackStore({ doc: env().clients.doc, tableName: env().tableName });
    await store.addListCounts('upgraded', '2026-06-02', { sent: 50, bounced: 2 });
    await store.addListCounts('upgraded', '2026-06-08', { sent: 5 });
    // Act
    const days = [
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-06',
      '2026-06-07',
      '2026-06-08',
    ];
    const counts = await store.listCounts('upgraded', days);
    // Assess
    expect(counts).toEqual({ sent: 1055, bounced: 32, complained: 1 });
  });
});
