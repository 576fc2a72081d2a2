// The lean DynamoDB client of the ledger's writes (dynamo-json-client.ts) against a 127.0.0.1 server answering
// as DynamoDB does: what it sends, how it names DynamoDB's errors, and what it retries. The conditional writes
// themselves run against dynalite in test/contract/delivery-ledger.dynamo.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isConditionFailure } from '../../../functions/adapters/aws/dynamo-common.ts';
import { DynamoJsonClient } from '../../../functions/adapters/aws/dynamo-json-client.ts';

const error = (type: string, message: string) =>
  JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

// What the stand-in answers, one reply per request, and what it received.
let answers: { status: number; body: string }[] = [];
const received: { target: string; auth: string; body: Record<string, unknown> }[] = [];

describe('DynamoJsonClient against DynamoDB replies', () => {
  let server: Server;
  let client: DynamoJsonClient;
  const waits: number[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        received.push({
          target: String(req.headers['x-amz-target']),
          auth: String(req.headers.authorization),
          body: JSON.parse(body),
        });
        const answer = answers.shift() ?? { status: 200, body: '{}' };
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new DynamoJsonClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      sleep: async (ms) => void waits.push(ms),
    });
  });
  beforeEach(() => {
    answers = [];
    received.length = 0;
    waits.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => server.close(r));
  });

  it('sends a signed PutItem with the values as DynamoDB attribute values', async () => {
    // Act
    await client.putItem({
      TableName: 'tidings',
      Item: { pk: 'EDITION#ed-1', sk: 'DLV#s_a', attempts: 1 },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
    // Assess
    expect(received).toHaveLength(1);
    expect(received[0]?.target).toBe('DynamoDB_20120810.PutItem');
    expect(received[0]?.auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\//,
    );
    expect(received[0]?.body).toEqual({
      TableName: 'tidings',
      Item: { pk: { S: 'EDITION#ed-1' }, sk: { S: 'DLV#s_a' }, attempts: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
  });

  it('names a failed condition as the SDK does, and does not retry it', async () => {
    answers = [
      { status: 400, body: error('ConditionalCheckFailedException', 'The conditional request failed') },
    ];
    const failure = await client
      .updateItem({ TableName: 'tidings', Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET x = :x' })
      .catch((e: unknown) => e);
    expect(isConditionFailure(failure)).toBe(true);
    expect((failure as Error).message).toBe('The conditional request failed');
    expect(received).toHaveLength(1);
  });

  it('retries throttling and a 5xx with backoff, and succeeds on the third attempt', async () => {
    answers = [
      { status: 400, body: error('ProvisionedThroughputExceededException', 'slow down') },
      { status: 503, body: 'Service Unavailable' },
    ];
    await client.putItem({ TableName: 'tidings', Item: { pk: 'a', sk: 'b' } });
    expect(received.map((r) => r.target)).toEqual(Array(3).fill('DynamoDB_20120810.PutItem'));
    expect(waits).toHaveLength(2);
  });

  it('gives up after three attempts with the last error', async () => {
    answers = Array(3).fill({ status: 400, body: error('ThrottlingException', 'Rate of requests exceeds') });
    const failure = await client.putItem({ TableName: 't', Item: { pk: 'a' } }).catch((e: unknown) => e);
    expect((failure as Error).name).toBe('ThrottlingException');
    expect(received).toHaveLength(3);
  });

  it('refuses a value it cannot write, before any request', async () => {
    const failure = await client
      .putItem({ TableName: 't', Item: { pk: 'a', n: Number.NaN } })
      .catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/^n: NaN is not a number/);
    expect(received).toHaveLength(0);
  });
});
