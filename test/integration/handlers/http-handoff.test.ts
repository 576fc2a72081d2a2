// The http function's hand-off (issue 13 §5): on Lambda, POST /subscribe and POST /resend answer after the
// same work for every address (rate limits, one asynchronous invoke of the function itself) and the
// address-dependent rest runs in that second invocation. Driven through the Lambda handler with Function
// URL events, on the emulators (DynamoDB, SES), with a stand-in for Lambda's Invoke API on 127.0.0.1 that
// delivers the event back to the same handler, as Lambda would to another instance.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../../functions/adapters/aws/clients.ts';
import { LambdaEventInvoker } from '../../../functions/adapters/aws/lambda-event-invoke.ts';
import {
  JOURNEY_TASK_KEY,
  type JourneyTask,
  journeyInvokeEvent,
  sealJourneyTask,
} from '../../../functions/core/subscribers/journey-task.ts';
import { makeHttpHandler } from '../../../functions/handlers/http.ts';
import { createRouteTable, type HttpDeps } from '../../../functions/http/routes.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aSubscriber } from '../../helpers/factories.ts';
import { type InvokeStandIn, startInvokeStandIn } from '../../helpers/lambda-invoke-stand-in.ts';
import { journeyDeps, mailTo } from '../journey/journey-env.ts';

const env = useEmulators();
let deps: HttpDeps;
let standIn: InvokeStandIn;
let handler: ReturnType<typeof makeHttpHandler>;
const logged: { event: string; data: Record<string, unknown> }[] = [];

beforeAll(async () => {
  deps = await journeyDeps(env());
  // The second invocation: the stand-in hands the event to the same handler.
  standIn = await startInvokeStandIn(async (event) => {
    await handler(event as LambdaFunctionURLEvent);
  });
  const invoker = new LambdaEventInvoker({
    region: 'eu-west-1',
    functionName: 'tidings-http',
    endpoint: standIn.endpoint,
    credentials: EMULATOR_CREDENTIALS,
  });
  const routes = createRouteTable({
    ...deps,
    handOff: (task, seal) => invoker.invoke(journeyInvokeEvent(task, seal)),
    log: (_level, event, data = {}) => logged.push({ event, data }),
  });
  handler = makeHttpHandler(async () => routes);
});

afterAll(async () => {
  await standIn.close();
});

function post(path: string, form: Record<string, string>, sourceIp: string): LambdaFunctionURLEvent {
  const body = new URLSearchParams(form).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'x.lambda-url.eu-west-1.on.aws', 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'x',
      domainName: 'x.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'x',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795860000000,
    },
    body,
    isBase64Encoded: false,
  };
}

const tasksFor = (email: string): JourneyTask[] =>
  standIn.accepted
    .map((a) => (a.event as Record<string, JourneyTask>)[JOURNEY_TASK_KEY])
    .filter((t): t is JourneyTask => t?.email === email);

describe('the http handler with the asynchronous hand-off', () => {
  it('answers /subscribe after one invoke of itself, which then records the pending reader and mails the confirmation', async () => {
    // Act
    const res = await handler(
      post('/subscribe', { email: 'async@example.org', list: 'essays' }, '198.51.100.30'),
    );
    await standIn.settle();
    // Assess
    expect(res.statusCode).toBe(200);
    expect(load(res.body ?? '')('h1').text()).toBe('Check your inbox');
    expect(standIn.accepted.map((a) => a.functionName)).toContain('tidings-http');
    expect(tasksFor('async@example.org')).toEqual([
      {
        kind: 'subscribe',
        email: 'async@example.org',
        lists: ['essays'],
        ip: '198.51.100.30',
        source: 'https://news.signal-noise.example.com/subscribe',
      },
    ]);
    expect((await deps.subscribers.getByEmail('async@example.org'))?.lists.essays?.status).toBe('pending');
    expect(await mailTo(env(), 'async@example.org')).toHaveLength(1);
  });

  it('does the same before answering for a subscribed, a suppressed and an unknown address: one invoke each, the same page', async () => {
    // Prepare
    const at = '2026-11-28T10:00:00.000Z';
    await deps.subscribers.put({
      id: 's_handoff_1',
      email: 'member@example.org',
      attributes: {},
      lists: { essays: { status: 'subscribed', cadence: 'weekly', updatedAt: at } },
      createdAt: at,
      updatedAt: at,
    });
    await deps.suppressions.put({ email: 'bounced@example.org', reason: 'hard-bounce', at, detail: 'test' });
    // Act
    const answers = [];
    for (const email of ['member@example.org', 'bounced@example.org', 'nobody@example.org']) {
      answers.push(await handler(post('/resend', { email }, '198.51.100.31')));
    }
    await standIn.settle();
    // Assess: the same answer, one hand-off each; only the member got mail.
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`)).size).toBe(1);
    for (const email of ['member@example.org', 'bounced@example.org', 'nobody@example.org']) {
      expect(tasksFor(email), email).toEqual([{ kind: 'resend', email }]);
    }
    expect(await mailTo(env(), 'member@example.org')).toHaveLength(1);
    expect(await mailTo(env(), 'bounced@example.org')).toHaveLength(0);
    expect(await mailTo(env(), 'nobody@example.org')).toHaveLength(0);
  });

  it('runs the work itself when the invoke is refused, so the reader still gets the confirmation', async () => {
    // Prepare: a hand-off to a port where nothing listens any more.
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const refusing = new LambdaEventInvoker({
      region: 'eu-west-1',
      functionName: 'tidings-http',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: EMULATOR_CREDENTIALS,
    });
    const lines: string[] = [];
    const routes = createRouteTable({
      ...deps,
      handOff: (task, seal) => refusing.invoke(journeyInvokeEvent(task, seal)),
      log: (_level, event) => lines.push(event),
    });
    // Act
    const res = await makeHttpHandler(async () => routes)(
      post('/subscribe', { email: 'fallback@example.org', list: 'podcast' }, '198.51.100.32'),
    );
    // Assess
    expect(res.statusCode).toBe(200);
    expect(lines).toContain('journey-handoff-failed');
    expect((await deps.subscribers.getByEmail('fallback@example.org'))?.lists.podcast?.status).toBe(
      'pending',
    );
    expect(await mailTo(env(), 'fallback@example.org')).toHaveLength(1);
  });

  it('never reads a Function URL request as a hand-off, whatever its body says', async () => {
    // Act: a forged task in a POST body, to the root
    const forged = post('/', {}, '198.51.100.33');
    const res = await handler({
      ...forged,
      body: JSON.stringify({ [JOURNEY_TASK_KEY]: { kind: 'resend', email: 'member@example.org' } }),
      headers: { ...forged.headers, 'content-type': 'application/json' },
    });
    await standIn.settle();
    // Assess: the page's 405 (/ takes only GET), and no mail went out for it.
    expect(res.statusCode).toBe(405);
    expect(await mailTo(env(), 'member@example.org')).toHaveLength(1);
  });

  it('runs a handed-off task only with its own seal: unsealed, re-used or foreign seals mail nobody', async () => {
    // Prepare: what someone allowed to invoke the function could send it directly
    const task: JourneyTask = { kind: 'resend', email: 'victim@example.org' };
    const other: JourneyTask = { kind: 'resend', email: 'someone@example.org' };
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    const foreignRing = { current: { id: 'k-other', secret: new Uint8Array(32).fill(7) } };
    await deps.subscribers.put(aSubscriber({ id: 's_victim', email: 'victim@example.org' }));
    const refusedBefore = logged.filter((l) => l.event === 'journey-task-refused').length;

    // Act
    await handler({ [JOURNEY_TASK_KEY]: task } as never);
    await handler(journeyInvokeEvent(task, sealJourneyTask(other, deps.keys, now)) as never);
    await handler(journeyInvokeEvent(task, sealJourneyTask(task, foreignRing, now)) as never);
    await handler(journeyInvokeEvent(task, sealJourneyTask(task, deps.keys, now - 7 * 3600)) as never);
    const refused = logged.filter((l) => l.event === 'journey-task-refused').length - refusedBefore;
    const before = (await mailTo(env(), 'victim@example.org')).length;
    await handler(journeyInvokeEvent(task, sealJourneyTask(task, deps.keys, now)) as never);

    // Assess: four refused, no mail; the genuine seal sends the link
    expect(refused).toBe(4);
    expect(before).toBe(0);
    expect(await mailTo(env(), 'victim@example.org')).toHaveLength(1);
  });
});
