import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeployedResources } from '../../../functions/adapters/aws/stack-outputs.ts';

// No CloudFormation emulator is installed: this is the smallest server that speaks its wire protocol
// (AWS Query in, XML out) on 127.0.0.1, so the real SDK client builds and parses every call.
const stacks: Record<string, Record<string, string>> = {
  'Tidings-stateful': {
    BucketName: 'tidings-stateful-tidingsposts-1x2y3z',
    TableName: 'Tidings-stateful-TidingsTable-9Q',
  },
  'Broken-stateful': { TableName: 'only-a-table' },
};
let server: Server;
let client: CloudFormationClient;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const name = params.get('StackName') ?? '';
      asked.push(`${params.get('Action')} ${name}`);
      res.setHeader('content-type', 'text/xml');
      const outputs = stacks[name];
      if (!outputs) {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
        );
        return;
      }
      const members = Object.entries(outputs)
        .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
        .join('');
      res.end(
        `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-29T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new CloudFormationClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('findDeployedResources', () => {
  it('finds the posts bucket from the stack prefix in the config', async () => {
    const found = await findDeployedResources(client, 'Tidings');
    expect(found).toEqual({
      stackName: 'Tidings-stateful',
      bucketName: 'tidings-stateful-tidingsposts-1x2y3z',
      tableName: 'Tidings-stateful-TidingsTable-9Q',
    });
    expect(asked.at(-1)).toBe('DescribeStacks Tidings-stateful');
  });

  it('accepts the stateful stack’s full name too', async () => {
    expect((await findDeployedResources(client, 'Tidings-stateful')).bucketName).toBe(
      'tidings-stateful-tidingsposts-1x2y3z',
    );
  });

  it('says which stack is missing and how to deploy it', async () => {
    await expect(findDeployedResources(client, 'Nope')).rejects.toMatchObject({
      code: 'STACK_NOT_FOUND',
      message: expect.stringMatching(/^stack Nope-stateful does not exist .*npx cdk deploy --all/),
    });
  });

  it('refuses a stack that is not a tidings stateful stack', async () => {
    await expect(findDeployedResources(client, 'Broken')).rejects.toMatchObject({
      code: 'STACK_OUTPUT_MISSING',
    });
  });
});
