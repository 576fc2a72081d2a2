// `npm run bench send`: the send path's client-side cost, the pace, and the planner.
// 1. Send throughput on one core against a zero-latency loopback endpoint that speaks the SES API
//    (in a worker thread, so it does not eat the client's core): compiled MIME + one keep-alive client
//    with 32 calls in flight, vs the naive path (whole MIME composed per recipient, a new client and
//    connection per send, one at a time). Memory is sampled (after GC) as the sends go.
// 2. Rate adherence: the token bucket + one-second window at 200/s for 20 s, timed where the SES
//    endpoint receives the calls, vs a naive "sleep 1000/rate ms between sends" loop.
// 3. Planning 100,000 subscribers from dynalite (keyset pages from the list index, SendMessageBatch)
//    vs scan-and-filter with one SendMessage per batch.
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SESClient } from '@aws-sdk/client-ses';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import { DynamoEditionStore } from '../../functions/adapters/aws/dynamo-edition-store.ts';
import { DynamoPostStore } from '../../functions/adapters/aws/dynamo-post-store.ts';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../functions/adapters/aws/dynamo-suppression-store.ts';
import { TABLE_KEYS } from '../../functions/adapters/aws/dynamo-table.ts';
import { sesClientFor } from '../../functions/adapters/aws/ses-client.ts';
import { SesQueryTransport } from '../../functions/adapters/aws/ses-query-transport.ts';
import { SqsSendQueue } from '../../functions/adapters/aws/sqs-send-queue.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { toBatches } from '../../functions/core/editions/batches.ts';
import {
  buildMessage,
  compileMessage,
  type Envelope,
  type RawMessage,
} from '../../functions/core/mime/compile-message.ts';
import { SlotQueue } from '../../functions/core/pacing/pacer.ts';
import { RateLimiter } from '../../functions/core/pacing/rate-limiter.ts';
import { recipientLinks } from '../../functions/core/tokens/links.ts';
import { startEmulatorProcess } from '../../functions/local/emulator-process.ts';
import { createTable } from '../../functions/local/emulators.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import type { MailTransport } from '../../functions/ports/mail-transport.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { planEdition } from '../../functions/use-cases/plan-edition.ts';
import { anExampleConfig, aPost } from '../helpers/factories.ts';
import { naiveBuildMessage } from '../oracles/naive-build-message.ts';
import { SesMailTransport } from '../oracles/ses-mail-transport.ts';
import type { BenchFigure } from './run.ts';

const SEND_COUNT = Number(process.env.TIDINGS_BENCH_SENDS ?? 20_000);
const NAIVE_SEND_COUNT = Number(process.env.TIDINGS_BENCH_NAIVE_SENDS ?? 1_000);
const PACE_SECONDS = Number(process.env.TIDINGS_BENCH_PACE_SECONDS ?? 20);
const PLAN_SIZE = Number(process.env.TIDINGS_BENCH_PLAN_SIZE ?? 100_000);

/** A loopback endpoint that answers SendRawEmail like SES, with no latency, in its own thread. */
const LOOPBACK = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
let n = 0; let times = [];
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    n++; if (times) times.push(performance.timeOrigin + performance.now());
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end('<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>0100-' + n + '</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r' + n + '</RequestId></ResponseMetadata></SendRawEmailResponse>');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'times') { parentPort.postMessage({ times }); times = []; }
  if (m === 'close') server.close(() => process.exit(0));
});
`;

async function startLoopback(): Promise<{ url: string; times(): Promise<number[]>; stop(): Promise<void> }> {
  const worker = new Worker(LOOPBACK, { eval: true });
  const { port } = await new Promise<{ port: number }>((resolve) => worker.once('message', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    times: () =>
      new Promise((resolve) => {
        worker.once('message', (m: { times: number[] }) => resolve(m.times));
        worker.postMessage('times');
      }),
    stop: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

async function prepared() {
  const config = anExampleConfig();
  const list = config.lists[0];
  if (!list) throw new Error('the example config has no list');
  const render = makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock });
  const rendered = await render({
    editionId: 'bench-instant-000000000000',
    kind: 'post',
    posts: [aPost()],
    list,
  });
  const envelope: Envelope = {
    from: list.from,
    listId: list.id,
    listName: list.name,
    domain: config.sending.domain,
    ...(config.sending.unsubscribeMailto ? { unsubscribeMailto: config.sending.unsubscribeMailto } : {}),
  };
  const ring = { current: { id: 'bench', secret: new Uint8Array(randomBytes(32)) } };
  const links = (i: number) =>
    recipientLinks({
      publicUrl: config.publicUrl,
      ring,
      subscriberId: `s_${i}`,
      listId: list.id,
      nowSeconds: 1_800_000_000,
    });
  const recipient = (i: number) => ({
    email: `reader${i}@example.org`,
    name: `Reader ${i}`,
    subscriberId: `s_${i}`,
  });
  const meta = (i: number) => ({ messageId: `bench_s_${i}@${config.sending.domain}`, date: new Date() });
  return {
    config,
    list,
    rendered,
    envelope,
    links,
    recipient,
    meta,
    compiled: compileMessage(rendered, envelope),
  };
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export async function sendThroughput(): Promise<BenchFigure[]> {
  const loop = await startLoopback();
  const p = await prepared();
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: { ses: loop.url },
    credentials: EMULATOR_CREDENTIALS,
    maxSockets: 32,
  });
  const sdk = new SesMailTransport({ ses: sesClientFor(clients) });
  const lean = new SesQueryTransport({
    region: 'us-east-1',
    endpoint: loop.url,
    credentials: EMULATOR_CREDENTIALS,
    maxSockets: 32,
  });
  const opts = (i: number) => ({
    from: p.list.from.address,
    to: `reader${i}@example.org`,
    configurationSet: 'tidings',
    tags: { edition: 'bench-instant-000000000000', subscriber: `s_${i}` },
  });
  /** Messages per second through `transport` with 32 calls in flight; samples the heap when asked. */
  const measure = async (transport: MailTransport, count: number, heap?: number[]) => {
    // Warm up (JIT, sockets).
    for (let i = 0; i < 200; i++)
      await transport.sendRaw(buildMessage(p.compiled, p.recipient(i), p.links(i), p.meta(i)), opts(i));
    heap?.push(heapMb());
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await transport.sendRaw(buildMessage(p.compiled, p.recipient(i), p.links(i), p.meta(i)), opts(i));
        if (heap && i % 5_000 === 4_999) heap.push(heapMb());
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    return count / ((performance.now() - started) / 1000);
  };
  // The same MIME through the AWS SDK's SESClient (shared, keep-alive, one attempt): the reference.
  const sdkRate = process.env.TIDINGS_BENCH_SKIP_SDK ? 1 : await measure(sdk, Math.min(SEND_COUNT, 5_000));
  const heap: number[] = [];
  const fastRate = await measure(lean, SEND_COUNT, heap);
  heap.push(heapMb());
  lean.destroy();
  clients.destroy();

  // Naive: compose the whole MIME per recipient, a new client (and TCP connection) per send, one at a time.
  const naiveStarted = performance.now();
  for (let i = 0; i < NAIVE_SEND_COUNT; i++) {
    const ses = new SESClient({ region: 'us-east-1', endpoint: loop.url, credentials: EMULATOR_CREDENTIALS });
    const raw = await naiveBuildMessage(p.rendered, p.envelope, p.recipient(i), p.links(i), p.meta(i));
    await new SesMailTransport({ ses }).sendRaw(raw, opts(i));
    ses.destroy();
  }
  const naiveRate = NAIVE_SEND_COUNT / ((performance.now() - naiveStarted) / 1000);
  await loop.stop();
  const growth = Math.max(...heap) - (heap[0] ?? 0);
  return [
    {
      name: `send: build MIME + SendRawEmail (lean Query transport), loopback SES (${SEND_COUNT} msgs)`,
      value: fastRate,
      unit: 'msg/s',
      higherIsBetter: true,
      baseline: { name: 'naive: full compose, new client per send, sequential', value: naiveRate },
      budget: { text: '≥ 2,000 msg/s on one core', ok: fastRate >= 2000 },
    },
    {
      name: 'send: lean Query transport vs the AWS SDK SESClient (shared, keep-alive), same MIME',
      value: fastRate,
      unit: 'msg/s',
      higherIsBetter: true,
      baseline: { name: '@aws-sdk/client-ses SendRawEmailCommand', value: sdkRate },
    },
    {
      name: `send: heap growth over ${SEND_COUNT} sends (after GC)`,
      value: growth,
      unit: 'MB',
      higherIsBetter: false,
      budget: { text: 'flat (< 10 MB)', ok: growth < 10 },
    },
  ];
}

function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

export async function paceAdherence(): Promise<BenchFigure[]> {
  const rate = 200;
  const loop = await startLoopback();
  const p = await prepared();
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: { ses: loop.url },
    credentials: EMULATOR_CREDENTIALS,
  });
  // The transport the sender uses (wire()), the MIME built before the slot is taken, as deliver() does.
  const transport = new SesQueryTransport({
    region: 'us-east-1',
    endpoint: loop.url,
    credentials: EMULATOR_CREDENTIALS,
  });
  const build = (i: number) => buildMessage(p.compiled, p.recipient(i), p.links(i), p.meta(i));
  const sendBuilt = (i: number, raw: RawMessage) =>
    transport.sendRaw(raw, { from: p.list.from.address, to: `reader${i}@example.org`, tags: {} });
  const send = (i: number) => sendBuilt(i, build(i));
  await loop.times();

  // Ours: 32 calls in flight share one limiter, for PACE_SECONDS.
  const limiter = new RateLimiter({ ratePerSecond: rate });
  const pacer = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const slots = new SlotQueue(limiter, pacer);
  const until = Date.now() + PACE_SECONDS * 1000;
  let n = 0;
  const granted: number[] = [];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const i = n++;
        const raw = build(i);
        await slots.acquire();
        if (Date.now() >= until) return;
        granted.push(performance.timeOrigin + performance.now());
        await sendBuilt(i, raw);
      }
    }),
  );
  const ours = (await loop.times()).sort((a, b) => a - b);
  const oursRate = ours.length / PACE_SECONDS;
  const oursWindow = maxInAnyWindow(ours, 1000);

  // Naive: one sender, sleep 1000/rate ms after each send.
  const naiveSeconds = Math.max(5, PACE_SECONDS / 2);
  const naiveUntil = Date.now() + naiveSeconds * 1000;
  while (Date.now() < naiveUntil) {
    await send(n++);
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  const naive = (await loop.times()).sort((a, b) => a - b);
  const naiveRate = naive.length / naiveSeconds;
  transport.destroy();
  clients.destroy();
  await loop.stop();
  return [
    {
      name: `pace: achieved rate at a configured ${rate}/s for ${PACE_SECONDS} s`,
      value: oursRate,
      unit: 'msg/s',
      higherIsBetter: true,
      baseline: { name: `naive sleep(${1000 / rate} ms) loop`, value: naiveRate },
      budget: { text: `≥ 95 % of ${rate}/s`, ok: oursRate >= 0.95 * rate },
    },
    {
      name: 'pace: most sends in any one-second window (as the sender dispatches)',
      value: maxInAnyWindow(granted, 1000),
      unit: 'msgs',
      higherIsBetter: false,
      budget: { text: `never over ${rate}`, ok: maxInAnyWindow(granted, 1000) <= rate },
    },
    {
      name: 'pace: most messages in any one-second window (at the endpoint)',
      value: oursWindow,
      unit: 'msgs',
      higherIsBetter: false,
      baseline: { name: 'naive loop', value: maxInAnyWindow(naive, 1000) },
      budget: { text: `never over ${rate}`, ok: oursWindow <= rate },
    },
  ];
}

async function planning(): Promise<BenchFigure[]> {
  const emulators = await startEmulatorProcess();
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: emulators.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
  const tableName = 'tidings';
  try {
    await createTable(clients.dynamodb, tableName);
    const queueUrl =
      (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'bench-send' }))).QueueUrl ?? '';
    const naiveQueueUrl =
      (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'bench-naive' }))).QueueUrl ?? '';
    // Bulk-load the membership items the planner reads, in the layout docs/table-design.md gives
    // (SUB#<id> / LIST#<list>, indexed by LIST#<list>#<status>#<cadence>), 25 per BatchWrite. Every
    // reader also has a profile and is on a second list (weekly), as in a real table where a list is a
    // slice of it.
    const at = '2026-01-05T10:00:00.000Z';
    const membership = (i: number, listId: string, cadence: string) => {
      const id = `s_${String(i).padStart(6, '0')}`;
      return {
        [TABLE_KEYS.pk]: `SUB#${id}`,
        [TABLE_KEYS.sk]: `LIST#${listId}`,
        type: 'membership',
        subscriberId: id,
        listId,
        email: `reader${i}@example.org`,
        membership: { status: 'subscribed', cadence, updatedAt: at },
        [TABLE_KEYS.gsi1.pk]: `LIST#${listId}#subscribed#${cadence}`,
        [TABLE_KEYS.gsi1.sk]: id,
      };
    };
    const items = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => [
        membership(from + k, 'podcast', 'instant'),
        membership(from + k, 'essays', 'weekly'),
        {
          [TABLE_KEYS.pk]: `SUB#s_${String(from + k).padStart(6, '0')}`,
          [TABLE_KEYS.sk]: 'PROFILE',
          type: 'subscriber',
          email: `reader${from + k}@example.org`,
          attributes: {},
          createdAt: at,
          updatedAt: at,
        },
      ]).flat();
    for (let i = 0; i < PLAN_SIZE; i += 500) {
      const chunk = items(i, Math.min(PLAN_SIZE, i + 500));
      await Promise.all(
        toBatches(chunk, 25).map((batch) =>
          clients.doc.send(
            new BatchWriteCommand({
              RequestItems: { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          ),
        ),
      );
    }
    const dynamo = { doc: clients.doc, tableName };
    const config = anExampleConfig();
    const editions = new DynamoEditionStore(dynamo);
    const posts = new DynamoPostStore(dynamo);
    const post = aPost({ id: 'bench-post', lists: ['podcast'] });
    await posts.put(post, ['podcast'], at);
    await editions.createIfAbsent({
      id: 'podcast-instant-bench0000000',
      listId: 'podcast',
      kind: 'publish',
      cadences: ['instant'],
      posts: [{ id: post.id, contentHash: post.contentHash, version: 1 }],
      status: 'planning',
      createdAt: at,
    });
    const heapBefore = heapMb();
    const started = performance.now();
    const result = await planEdition(
      {
        config,
        editions,
        posts,
        subscribers: new DynamoSubscriberStore(dynamo),
        suppressions: new DynamoSuppressionStore(dynamo),
        queue: new SqsSendQueue({ sqs: clients.sqs, queueUrl }),
        clock: systemClock,
        render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
        pageSize: 1000,
      },
      'podcast-instant-bench0000000',
    );
    const planSeconds = (performance.now() - started) / 1000;
    const heapGrowth = heapMb() - heapBefore;
    if (result.enqueued !== PLAN_SIZE) throw new Error(`planned ${result.enqueued} of ${PLAN_SIZE}`);

    // Naive: scan the whole table and filter, the same suppression check, then one SendMessage per batch of 50.
    const naiveStarted = performance.now();
    const found: { subscriberId: string; email: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await clients.doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: '#t = :m AND listId = :l AND membership.#s = :s AND membership.cadence = :c',
          ExpressionAttributeNames: { '#t': 'type', '#s': 'status' },
          ExpressionAttributeValues: {
            ':m': 'membership',
            ':l': 'podcast',
            ':s': 'subscribed',
            ':c': 'instant',
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const i of page.Items ?? [])
        found.push({ subscriberId: i.subscriberId as string, email: i.email as string });
      start = page.LastEvaluatedKey;
    } while (start);
    const suppressions = new DynamoSuppressionStore(dynamo);
    const eligible: typeof found = [];
    for (let i = 0; i < found.length; i += 1000) {
      const page = found.slice(i, i + 1000);
      const blocked = await suppressions.getMany(page.map((r) => r.email));
      eligible.push(...page.filter((r) => !blocked.has(r.email)));
    }
    let batchNo = 0;
    for (const recipients of toBatches(eligible, 50)) {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: naiveQueueUrl,
          MessageBody: JSON.stringify({
            editionId: 'naive',
            listId: 'podcast',
            batchNo: batchNo++,
            recipients,
          }),
        }),
      );
    }
    const naiveSeconds = (performance.now() - naiveStarted) / 1000;
    return [
      {
        name: `plan: ${PLAN_SIZE.toLocaleString('en')} subscribers from dynalite to SQS`,
        value: planSeconds,
        unit: 's',
        higherIsBetter: false,
        baseline: { name: 'scan-and-filter, one SendMessage per batch', value: naiveSeconds },
        budget: { text: 'faster than scan-and-filter', ok: planSeconds < naiveSeconds },
      },
      {
        name: 'plan: heap growth while planning (after GC)',
        value: heapGrowth,
        unit: 'MB',
        higherIsBetter: false,
        budget: { text: 'flat (< 20 MB)', ok: heapGrowth < 20 },
      },
    ];
  } finally {
    clients.destroy();
    await emulators.stop();
  }
}

export async function run(): Promise<BenchFigure[]> {
  return [...(await sendThroughput()), ...(await paceAdherence()), ...(await planning())];
}
