import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../../functions/adapters/aws/clients.ts';
import { LambdaPlanTrigger } from '../../../functions/adapters/aws/lambda-plan-trigger.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makePlanHandler } from '../../../functions/handlers/plan.ts';
import { makeReconcileHandler } from '../../../functions/handlers/reconcile.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

// A stand-in for the Lambda service on 127.0.0.1, speaking its Invoke API: an asynchronous invoke
// (X-Amz-Invocation-Type: Event) is answered 202 at once, and the event is then handed to the real plan
// handler, as Lambda would run the plan function.
interface Invoke {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly payload: unknown;
}
const invokes: Invoke[] = [];
let healthy = true;
let planned: Promise<unknown> = Promise.resolve();

describe('publishing hands the edition to the plan function', () => {
  let lambda: Server;
  let stack: LocalStack;
  const readers = manySubscribers(12, 'podcast', 'instant', 0, 'handoff');
  beforeAll(async () => {
    lambda = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        if (!healthy) {
          res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
          res.end(JSON.stringify({ Type: 'Service', message: 'Lambda is having a bad day' }));
          return;
        }
        const payload = JSON.parse(body) as unknown;
        invokes.push({ path: req.url ?? '', headers: req.headers, payload });
        res.writeHead(202);
        res.end();
        const handler = makePlanHandler(async () => stack.app, quietObservability());
        planned = new Promise((resolve) => setImmediate(resolve)).then(() => handler(payload));
      });
    });
    await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', r));
    const client = new LambdaClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
    stack = await aLocalStack({
      wiring: { planTrigger: new LambdaPlanTrigger({ client, functionName: 'Tidings-plan' }) },
    });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((r) => lambda.close(r));
  });

  it('invokes the plan function asynchronously with the edition id, and every reader gets the post once', async () => {
    // Act
    const published = await stack.app.publish(
      aPost({ id: 'ep-handoff', slug: 'ep-handoff', lists: ['podcast'] }),
    );
    const outcome = published.lists[0];
    if (outcome?.action !== 'planned') throw new Error(`expected a planned edition, got ${outcome?.action}`);
    await planned;
    await stack.runner.drain();

    // Assess: publish planned nothing itself; one Event invoke named the edition; each reader got one email.
    expect(outcome).not.toHaveProperty('plan');
    expect(invokes).toHaveLength(1);
    expect(invokes[0]?.path).toBe('/2015-03-31/functions/Tidings-plan/invocations');
    expect(invokes[0]?.headers['x-amz-invocation-type']).toBe('Event');
    expect(invokes[0]?.payload).toEqual({ editionId: outcome.editionId });
    const box = await mailbox(stack);
    for (const r of readers) expect(box.countFor(r.email), r.email).toBe(1);
    expect(await stack.app.status(outcome.editionId)).toMatchObject({
      complete: true,
      counters: { sent: 12 },
    });
  });

  it('fails the publish with one line when Lambda refuses the invoke, and a retried publish sends once', async () => {
    // Prepare
    healthy = false;
    const post = aPost({
      id: 'ep-refused',
      slug: 'ep-refused',
      title: 'Refused at first',
      lists: ['podcast'],
    });
    // Act
    const error = await stack.app.publish(post).catch((e: unknown) => e);
    healthy = true;
    const retried = await stack.app.publish(post);
    const outcome = retried.lists[0];
    if (outcome?.action !== 'planned') throw new Error(`expected a planned edition, got ${outcome?.action}`);
    await planned;
    await stack.runner.drain();
    // Assess
    expect(error).toMatchObject({ code: 'PLAN_HANDOFF_FAILED' });
    expect((error as Error).message).toMatch(
      /^edition \S+: the plan function Tidings-plan was not started: /,
    );
    expect((error as Error).message).not.toContain('\n');
    const box = await mailbox(stack);
    const got = box.all.filter((m) => m.subject === 'Refused at first');
    expect(got.map((m) => m.destinations[0]).sort()).toEqual(readers.map((r) => r.email).sort());
  });

  it('starts a stalled edition’s planning again from the reconcile schedule, and each reader gets it once', async () => {
    // Prepare: the handoff fails and nobody publishes again (its S3 event ran out of retries).
    healthy = false;
    const post = aPost({
      id: 'ep-stalled',
      slug: 'ep-stalled',
      title: 'Stalled at first',
      lists: ['podcast'],
    });
    await expect(stack.app.publish(post)).rejects.toMatchObject({ code: 'PLAN_HANDOFF_FAILED' });
    healthy = true;
    const stalled = (await stack.app.recent()).find((e) => e.posts.includes('ep-stalled'));
    expect(stalled).toMatchObject({ status: 'planning', planningDone: false });
    // The reconcile function, with the stall window at 0 (15 minutes on AWS).
    const reconcile = makeReconcileHandler(
      async () => ({
        recent: (n?: number) => stack.app.recent(n),
        reconcile: (id: string) => stack.app.reconcile(id),
        resumeStalledPlanning: (editions: Parameters<LocalStack['app']['resumeStalledPlanning']>[0]) =>
          stack.app.resumeStalledPlanning(editions, { stallMs: 0 }),
      }),
      quietObservability(),
    );
    const invokesBefore = invokes.length;

    // Act
    const run = await reconcile({ scheduledTime: '2026-11-29T08:05:00Z' });
    await planned;
    await stack.runner.drain();
    const again = await reconcile({ scheduledTime: '2026-11-29T08:10:00Z' });

    // Assess: one Event invoke for the stalled edition, everyone got it once, and the next run has nothing to do.
    expect(run.planningResumed).toBe(1);
    expect(invokes.slice(invokesBefore).map((i) => i.payload)).toEqual([{ editionId: stalled?.id }]);
    const got = (await mailbox(stack)).all.filter((m) => m.subject === 'Stalled at first');
    expect(got.map((m) => m.destinations[0]).sort()).toEqual(readers.map((r) => r.email).sort());
    expect(again.planningResumed).toBe(0);
    expect(await stack.app.status(stalled?.id ?? '')).toMatchObject({ complete: true });
  });
});
