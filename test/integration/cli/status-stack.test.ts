import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../../functions/adapters/aws/dynamo-edition-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { useStackCli } from '../../helpers/stand-ins.ts';

// `tidings status --stack Tidings` reads the table named by the deployed stacks' outputs. The outputs come
// from the smallest server that speaks CloudFormation's DescribeStacks on 127.0.0.1; the table is dynalite's.
const env = useEmulators();
const tidings = useStackCli(env);

describe('tidings status --stack', () => {
  it('shows an edition from the table the deployed stack names', async () => {
    // Prepare: an edition the deployed functions planned, with 3 sent.
    const store = new DynamoEditionStore({ doc: env().clients.doc, tableName: env().tableName });
    await store.createIfAbsent({
      id: 'ed-stack-1',
      listId: 'podcast',
      kind: 'publish',
      cadences: ['instant'],
      posts: [{ id: 'ep-42', contentHash: 'abc', version: 1 }],
      status: 'sending',
      createdAt: '2026-11-29T08:00:00.000Z',
    });
    await store.addCounters('ed-stack-1', { planned: 3, sent: 3 });
    // Act
    const run = await tidings('status', 'ed-stack-1', '--stack', 'Tidings', '--json');
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: 'ed-stack-1',
      listId: 'podcast',
      counters: { sent: 3 },
    });
  });

  it('exits 1 with one line when the stack is not deployed', async () => {
    const run = await tidings('status', '--stack', 'Elsewhere');
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('stack Elsewhere-stateful does not exist'),
    ]);
  });
});
