import { describe, expect, it } from 'vitest';
import { DynamoSendingPauseStore } from '../../../functions/adapters/aws/dynamo-sending-pause-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { describeStacks, runTidings, useStandIn } from '../../helpers/stand-ins.ts';

// `tidings lists pause|resume <list>` and `tidings editions resume <edition>` against a deployed stack:
// the stack outputs come from a DescribeStacks stand-in naming dynalite's table, as in status-stack.test.ts.
const env = useEmulators();
const cfnEndpoint = useStandIn(
  describeStacks(
    (name) => ({ 'Tidings-stateful': { TableName: env().tableName, BucketName: 'posts-bucket' } })[name],
  ),
);

function tidings(...args: string[]): ReturnType<typeof runTidings> {
  return runTidings([...args, '--stack', 'Tidings', '--config', 'examples/tidings.config.ts'], {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_CLOUDFORMATION: cfnEndpoint(),
    AWS_ENDPOINT_URL_DYNAMODB: env().emulators.endpoints.dynamodb,
    AWS_MAX_ATTEMPTS: '1',
    NODE_NO_WARNINGS: '1',
  });
}

const pauses = () => new DynamoSendingPauseStore({ doc: env().clients.doc, tableName: env().tableName });

describe('tidings lists pause|resume --stack', () => {
  it('resumes a list that paused itself, saying why it was paused', async () => {
    // Prepare: the feedback function paused the list on its bounce rate.
    await pauses().pause({ listId: 'podcast', reason: 'bounce-rate', at: '2026-11-20T08:00:00.000Z' });
    // Act
    const run = await tidings('lists', 'resume', 'podcast');
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('list podcast resumed (it was paused for bounce-rate since 2026-11-20');
    expect(await pauses().get('podcast')).toBeUndefined();
  });

  it('pauses a list by hand, and says so when it already is', async () => {
    // Act
    const first = await tidings('lists', 'pause', 'essays', '--json');
    const second = await tidings('lists', 'pause', 'essays');
    // Assess
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ listId: 'essays', paused: true });
    expect(await pauses().get('essays')).toMatchObject({ listId: 'essays', reason: 'manual' });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('list essays was already paused (manual since');
  });

  it('exits 1 with one line for a list the config does not have', async () => {
    const run = await tidings('lists', 'resume', 'poddcast');
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('list poddcast: no such list in the config'),
    ]);
  });
});

describe('tidings editions resume --stack', () => {
  it('lifts the pause SES refusing the sender put on an edition', async () => {
    // Prepare
    await pauses().pauseEdition({
      editionId: 'ed-refused',
      listId: 'podcast',
      reason: 'identity-not-verified',
      at: '2026-11-20T09:00:00.000Z',
    });
    // Act
    const run = await tidings('editions', 'resume', 'ed-refused');
    const again = await tidings('editions', 'resume', 'ed-refused');
    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'edition ed-refused resumed (paused at 2026-11-20T09:00:00.000Z: identity-not-verified)',
    );
    expect(await pauses().getEdition('ed-refused')).toBeUndefined();
    expect(again.stdout).toContain('edition ed-refused was not paused: nothing to resume');
  });
});
