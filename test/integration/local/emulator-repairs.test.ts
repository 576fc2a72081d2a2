// Three repairs to the embedded emulators, and the local runner that relies on one of them:
// - local-aws-sqs answered a long poll only once it held MaxNumberOfMessages messages or the wait was over,
//   where SQS answers as soon as a message is there, sent or visible again (sqs-repairs.ts);
// - dynalite read and parsed the table's description on every request; it is now kept in memory, and
//   must follow every change dynalite makes to the table (level-repairs.ts cacheTableDescriptions);
// - dynalite's reads of a table on disk went through libuv's thread pool; they are made in place, and must
//   read what was written (level-repairs.ts readsInPlace).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalQueueRunner } from '../../../functions/local/runner.ts';
import { useEmulators } from '../../helpers/emulators.ts';

describe('the SQS emulator, long polling', () => {
  const env = useEmulators({ queueName: 'long-poll' });

  it('answers a 20 s long poll with the one message that arrives, when it arrives', async () => {
    const { clients, queueUrl } = env();
    const receiving = clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
    );
    await new Promise((r) => setTimeout(r, 150));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'batch 1' }));
    // Unrepaired, the receive waited for 10 messages or for its 20 s: it lost this race.
    const answer = await Promise.race([
      receiving,
      new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 10_000)),
    ]);
    expect(answer === 'still waiting' ? answer : answer.Messages?.map((m) => m.Body)).toEqual(['batch 1']);
  });

  it('answers a long poll on an empty queue with no message once its wait is over', async () => {
    const { clients, queueUrl } = env();
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    const answer = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(answer.Messages ?? []).toEqual([]);
  });

  it('hands a waiting long poll a message whose visibility timeout ran out, or that was made visible', async () => {
    const { clients } = env();
    const { QueueUrl: queueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'visibility' }),
    );
    const receive = (seconds: number, visibility?: number) =>
      clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: seconds,
          ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
        }),
      );
    const raceWith = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'expires' }));
    const taken = await receive(1, 1);
    expect(taken.Messages?.map((m) => m.Body)).toEqual(['expires']);
    // Invisible for 1 s: nothing is sent while this poll waits, and it gets the message once it is visible.
    const expired = await raceWith(receive(20, 30), 8_000);
    expect(expired === 'still waiting' ? expired : expired.Messages?.map((m) => m.Body)).toEqual(['expires']);

    const handle = expired === 'still waiting' ? '' : (expired.Messages?.[0]?.ReceiptHandle ?? '');
    const waiting = receive(20);
    await new Promise((r) => setTimeout(r, 150));
    await clients.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
    const visible = await raceWith(waiting, 8_000);
    expect(visible === 'still waiting' ? visible : visible.Messages?.map((m) => m.Body)).toEqual(['expires']);
  });

  it('lets an idle local runner make a few receives a second, and hands it a message as it comes', async () => {
    const { clients, dlqUrl } = env();
    let receives = 0;
    clients.sqs.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ReceiveMessageCommand') receives++;
        return next(args);
      },
      { step: 'initialize', name: 'countReceives' },
    );
    const handled: string[] = [];
    const runner = new LocalQueueRunner({
      sqs: clients.sqs,
      queueUrl: dlqUrl,
      concurrency: 4,
      handler: async (event: SQSEvent) => {
        handled.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });
    runner.start();
    await new Promise((r) => setTimeout(r, 3_000));
    const idle = receives;
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'wake up' }));
    const stats = await runner.drain(10_000);
    await runner.stop();
    // Four pollers, 3 s: about 12 long polls of 1 s. Short polls every 25 ms made about 180.
    expect(idle).toBeGreaterThan(0);
    expect(idle).toBeLessThanOrEqual(24);
    expect(handled).toEqual(['wake up']);
    expect(stats.records).toBe(1);
  });
});

describe('the DynamoDB emulator, table descriptions kept in memory', () => {
  const env = useEmulators();
  const name = 'tidings-reshaped';
  const describe1 = async () =>
    (await env().clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;

  it('follows a table created, given more capacity, deleted and created again with another key', async () => {
    const { dynamodb } = env().clients;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    await dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } } }));
    expect((await describe1())?.ProvisionedThroughput?.ReadCapacityUnits).toBe(1);

    await dynamodb.send(
      new UpdateTableCommand({
        TableName: name,
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      }),
    );
    // dynalite writes the description twice: UPDATING at once, then ACTIVE with the new capacity.
    let table = await describe1();
    for (let i = 0; i < 100 && table?.TableStatus !== 'ACTIVE'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      table = await describe1();
    }
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 7 });

    await dynamodb.send(new DeleteTableCommand({ TableName: name }));
    await expect(describe1()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'c' } } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await describe1())?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    // The old key is refused and the new one taken: the description read is the new table's.
    await expect(
      dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'd' } } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await dynamodb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'd' } } }));
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'd' } } }));
    expect(Item?.id?.S).toBe('d');
  });
});

describe('the DynamoDB emulator on disk, its reads made in place', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-reads-'));
  const env = useEmulators({ dataDir });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  // The LevelDB binding dynalite stores its tables with, on disk (level-repairs.ts readsInPlace).
  const leveldb = createRequire(createRequire(import.meta.url).resolve('dynalite'))('classic-level') as {
    ClassicLevel: { prototype: { _get: () => unknown; _getSync: () => unknown } };
  };

  it('reads what was written, and refuses what its condition refuses, without a read through the thread pool', async () => {
    const { dynamodb } = env().clients;
    const TableName = env().tableName;
    const pooled = vi.spyOn(leveldb.ClassicLevel.prototype, '_get');
    const inPlace = vi.spyOn(leveldb.ClassicLevel.prototype, '_getSync');
    const key = { pk: { S: 'EDITION#e1' }, sk: { S: 'DLV#s1' } };
    const claim = () =>
      dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { ...key, status: { S: 'claimed' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await claim();
    // The second claim reads the first one's item, and its condition fails on it.
    await expect(claim()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET #s = :sent',
        ConditionExpression: '#s = :claimed',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':claimed': { S: 'claimed' } },
      }),
    );
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: key }));
    expect(Item?.status).toEqual({ S: 'sent' });
    const { Responses } = await dynamodb.send(
      new BatchGetItemCommand({
        RequestItems: { [TableName]: { Keys: [key, { pk: { S: 'EDITION#e1' }, sk: { S: 'DLV#none' } }] } },
      }),
    );
    expect(Responses?.[TableName]?.map((i) => i.status)).toEqual([{ S: 'sent' }]);
    await dynamodb.send(new DeleteItemCommand({ TableName, Key: key }));
    expect((await dynamodb.send(new GetItemCommand({ TableName, Key: key }))).Item).toBeUndefined();
    expect(inPlace).toHaveBeenCalled();
    expect(pooled).not.toHaveBeenCalled();
  });
});
