import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeployedResources } from '../../../functions/adapters/aws/stack-outputs.ts';
import {
  answerDescribeStacks,
  type StandIn,
  standInClientConfig,
  startStandIn,
} from '../../helpers/stand-ins.ts';

// No CloudFormation emulator is installed: this is the smallest server that speaks its wire protocol
// (AWS Query in, XML out) on 127.0.0.1, so the real SDK client builds and parses every call.
const stacks: Record<string, Record<string, string>> = {
  'Tidings-stateful': {
    BucketName: 'tidings-stateful-tidingsposts-1x2y3z',
    TableName: 'Tidings-stateful-TidingsTable-9Q',
  },
  'Broken-stateful': { TableName: 'only-a-table' },
};
let server: StandIn;
let client: CloudFormationClient;
const asked: string[] = [];

beforeAll(async () => {
  server = await startStandIn((_req, body, res) => {
    const params = new URLSearchParams(body);
    const name = params.get('StackName') ?? '';
    asked.push(`${params.get('Action')} ${name}`);
    answerDescribeStacks(res, name, stacks[name]);
  });
  client = new CloudFormationClient(standInClientConfig(server.url));
});

afterAll(async () => {
  client.destroy();
  await server.close();
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
