import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../../functions/adapters/aws/dynamo-edition-store.ts';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { readSesStore } from '../../../functions/local/emulators.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aSubscriber } from '../../helpers/factories.ts';
import { answerDescribeStacks, runTidings, useStandIn } from '../../helpers/stand-ins.ts';

// `tidings publish … --stack Tidings` with --dry-run and --to, against the emulators through the same target
// resolver as on AWS: the stack outputs come from a DescribeStacks stand-in that names dynalite's table and
// the SQS emulator's queue, the same stand-in takes S3 PutObject (the upload that publishes on AWS), and
// SES is aws-ses-v2-local. Three readers are subscribed to the podcast list.
const env = useEmulators();
const puts: string[] = [];
const endpoint = useStandIn((req, body, res) => {
  if (req.method === 'PUT') {
    puts.push(req.url ?? '');
    res.setHeader('ETag', '"e1"');
    res.end();
    return;
  }
  const name = new URLSearchParams(body).get('StackName') ?? '';
  answerDescribeStacks(
    res,
    name,
    (
      {
        'Tidings-stateful': { TableName: env().tableName, BucketName: 'posts-bucket' },
        'Tidings-stateless': { SendQueueUrl: env().queueUrl },
      } as Record<string, Record<string, string>>
    )[name],
  );
});

function tidings(...args: string[]): ReturnType<typeof runTidings> {
  return runTidings([...args, '--config', 'examples/tidings.config.ts'], {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(),
    AWS_ENDPOINT_URL_S3: endpoint(),
    AWS_ENDPOINT_URL_DYNAMODB: env().emulators.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: env().emulators.endpoints.sqs,
    AWS_ENDPOINT_URL_SES: env().emulators.endpoints.ses,
    AWS_MAX_ATTEMPTS: '1',
    NODE_NO_WARNINGS: '1',
  });
}

const READERS = ['ana@example.com', 'bo@example.com', 'cy@example.com'];

async function seedReaders(): Promise<void> {
  const store = new DynamoSubscriberStore({ doc: env().clients.doc, tableName: env().tableName });
  for (const [i, email] of READERS.entries()) await store.put(aSubscriber({ id: `sub-${i}`, email }));
}

async function queuedMessages(): Promise<number> {
  const out = await env().clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: env().queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('tidings publish --stack --dry-run', () => {
  it('reads the deployed table and says who would get it, and uploads, queues and sends nothing', async () => {
    // Prepare
    await seedReaders();
    // Act
    const run = await tidings(
      'publish',
      'examples/posts/podcast-episode.md',
      '--stack',
      'Tidings',
      '--dry-run',
      '--list',
      'podcast',
      '--out',
      'out/test-dry-run-stack',
      '--json',
    );
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { lists: { listId: string; recipients?: number }[] };
    expect(report.lists).toEqual([expect.objectContaining({ listId: 'podcast', recipients: 3 })]);
    expect(puts).toEqual([]);
    expect(await queuedMessages()).toBe(0);
    expect(await readSesStore(env().emulators.sesStoreUrl)).toEqual([]);
    const editions = new DynamoEditionStore({ doc: env().clients.doc, tableName: env().tableName });
    expect((await editions.pageByList('podcast', undefined, 10)).items).toEqual([]);
  });
});

describe('tidings publish --stack --to', () => {
  it('sends the rendered edition, marked [TEST], to the given addresses only, and records nothing', async () => {
    // Prepare
    await seedReaders();
    // Act
    const run = await tidings(
      'publish',
      'examples/posts/podcast-episode.md',
      '--stack',
      'Tidings',
      '--to',
      'editor@example.com, producer@example.com',
      '--list',
      'podcast',
    );
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('test message sent to editor@example.com');
    expect(run.stdout).toContain('test message sent to producer@example.com');
    const sent = await readSesStore(env().emulators.sesStoreUrl);
    expect(sent.map((m) => m.destinations).sort()).toEqual([
      ['editor@example.com'],
      ['producer@example.com'],
    ]);
    for (const message of sent) {
      expect(message.subject).toMatch(/^\[TEST\] /);
      expect(message.tags).toMatchObject({ test: 'true', list: 'podcast' });
    }
    expect(puts).toEqual([]);
    expect(await queuedMessages()).toBe(0);
    const editions = new DynamoEditionStore({ doc: env().clients.doc, tableName: env().tableName });
    expect((await editions.pageByList('podcast', undefined, 10)).items).toEqual([]);
  });

  it('exits 1 with one line, sending nothing, when one address is malformed', async () => {
    // Act
    const run = await tidings(
      'publish',
      'examples/posts/podcast-episode.md',
      '--stack',
      'Tidings',
      '--to',
      'editor@example.com,not-an-address',
    );
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('--to not-an-address')]);
  });

  it('refuses --dry-run with --to in one line', async () => {
    const run = await tidings(
      'publish',
      'examples/posts/podcast-episode.md',
      '--stack',
      'Tidings',
      '--dry-run',
      '--to',
      'editor@example.com',
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('use one of them')]);
  });
});

describe('tidings publish --stack (upload)', () => {
  it('refuses --list and --resend in one line, before uploading', async () => {
    const run = await tidings(
      'publish',
      'examples/posts/podcast-episode.md',
      '--stack',
      'Tidings',
      '--list',
      'podcast',
      '--resend',
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('cannot take --list, --resend')]);
    expect(puts).toEqual([]);
  });
});
