// Whether /subscribe and /resend tell, by how long they take, if an address is unknown, subscribed or
// suppressed (issue 13 §5). Each path is posted ROUNDS times, interleaved, through the route table on the
// emulators (dynalite, the SES emulator); the figure is each path's median wall time, and the spread is the
// slowest median over the fastest. Wall time, not CPU: what an attacker measures is the answer's delay.
// Three ways to run the address-dependent work: inline (awaited before the answer: the naive way, and what
// the Lambda did before), deferred (after the answer, in process: `tidings dev`), and handed off (the
// Lambda path: a signed asynchronous invoke of the function itself, HttpDeps.handOff, through the real
// adapter to a stand-in of Lambda's Invoke API on 127.0.0.1 that runs the task as another invocation would).
import { randomBytes } from 'node:crypto';
import { EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import { LambdaEventInvoker } from '../../functions/adapters/aws/lambda-event-invoke.ts';
import { loadJourneyTemplates } from '../../functions/adapters/fs/journey-templates.ts';
import {
  journeyInvokeEvent,
  journeySealOf,
  journeyTaskOf,
} from '../../functions/core/subscribers/journey-task.ts';
import { backgroundTasks } from '../../functions/http/background.ts';
import { createRouteTable, type HttpDeps } from '../../functions/http/routes.ts';
import type { HttpRequest } from '../../functions/http/types.ts';
import { createQueues, createTable, startEmulators } from '../../functions/local/emulators.ts';
import { awsApp } from '../../functions/wiring/aws-app.ts';
import { aKeyRing, anExampleConfig } from '../helpers/factories.ts';
import { startInvokeStandIn } from '../helpers/lambda-invoke-stand-in.ts';
import type { BenchFigure } from './run.ts';

const ROUNDS = 90;

export async function run(): Promise<BenchFigure[]> {
  const stops: (() => Promise<void>)[] = [];
  const emulators = await startEmulators({});
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: emulators.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
  try {
    await createTable(clients.dynamodb, 'tidings-bench');
    const queues = await createQueues(clients.sqs, ['tidings-send'], { visibilityTimeoutSeconds: 5 });
    const config = anExampleConfig();
    const { adapters } = awsApp(
      { clients, tableName: 'tidings-bench', sendQueueUrl: queues.urls['tidings-send'] ?? '' },
      { config },
    );
    const deps: HttpDeps = {
      config,
      keys: aKeyRing(),
      clock: { now: () => new Date() },
      subscribers: adapters.subscribers,
      suppressions: adapters.suppressions,
      mail: adapters.transport,
      templates: await loadJourneyTemplates(anExampleConfig()),
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
      rateLimits: adapters.rateLimits,
      // No limit in the way: the bench posts the same addresses many times.
      limits: {
        perIp: { name: 'bench-ip', limit: 1_000_000, windowSeconds: 600 },
        perAddress: { name: 'bench-address', limit: 1_000_000, windowSeconds: 3600 },
      },
    };
    const tasks = backgroundTasks();
    const standIn = await startInvokeStandIn(async (event) => {
      const task = journeyTaskOf(event);
      if (task) await handedOff.runTask(task, journeySealOf(event));
    });
    stops.push(() => standIn.close());
    const invoker = new LambdaEventInvoker({
      region: 'us-east-1',
      functionName: 'tidings-http',
      endpoint: standIn.endpoint,
      credentials: EMULATOR_CREDENTIALS,
    });
    stops.push(async () => invoker.destroy());
    const handedOff = createRouteTable({
      ...deps,
      handOff: (task, seal) => invoker.invoke(journeyInvokeEvent(task, seal)),
    });
    // Inline: the work awaited before the answer (what the Lambda did before). Deferred: the work after
    // the answer (HttpDeps.later, as `tidings dev` runs it). Handed off: the Lambda path now.
    const tables = {
      inline: createRouteTable(deps),
      deferred: createRouteTable({ ...deps, later: tasks.later }),
      'handed off (Lambda)': handedOff,
    };
    const settle = async () => {
      await tasks.settle();
      await standIn.settle();
    };
    const at = new Date().toISOString();
    const consent = { at, method: 'import:bench', source: 'bench' };
    // Every request names an address not seen before by the rate limiter (a fresh counter costs another
    // write than a repeated one): fresh unknown addresses, and enough subscribed and suppressed ones.
    const POOL = Object.keys(tables).length * 2 * (ROUNDS + 5);
    const people = Array.from({ length: POOL }, (_, i) => ({
      id: `s_bench_${i}`,
      email: `subscribed${i}@example.org`,
      attributes: {},
      lists: {
        podcast: { status: 'subscribed' as const, cadence: 'instant' as const, consent, updatedAt: at },
      },
      createdAt: at,
      updatedAt: at,
    }));
    for (let i = 0; i < POOL; i += 100) await adapters.subscribers.putMany(people.slice(i, i + 100));
    await adapters.suppressions.putMany(
      Array.from({ length: POOL }, (_, i) => ({
        email: `suppressed${i}@example.org`,
        reason: 'complaint' as const,
        at,
        detail: 'bench',
      })),
    );
    const form = (path: string, email: string): HttpRequest => ({
      method: 'POST',
      path,
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, list: 'podcast' }).toString(),
      ip: '203.0.113.9',
    });
    let u = 0;
    let k = 0;
    let q = 0;
    const paths = {
      unknown: () => `unknown${u++}@example.org`,
      // An A/A control: the same path as `unknown`, to show the noise floor of this machine.
      'unknown (control)': () => `unknown${u++}@example.org`,
      subscribed: () => `subscribed${k++}@example.org`,
      suppressed: () => `suppressed${q++}@example.org`,
    };
    const figures: BenchFigure[] = [];
    const random = seeded(13);
    for (const route of ['/subscribe', '/resend']) {
      const spreads: Record<string, number> = {};
      for (const [mode, routes] of Object.entries(tables)) {
        const times: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((p) => [p, []]));
        // Warm up each path, then interleave them so that drift hits all three alike.
        for (const next of Object.values(paths))
          for (let i = 0; i < 5; i++) await routes(form(route, next()));
        await settle();
        for (let r = 0; r < ROUNDS; r++) {
          // A fresh order every round (a seeded shuffle): what one request's task leaves behind (garbage, a
          // busy emulator) falls on each path alike. A rotation would not do: each path would always follow
          // the same one.
          const order = shuffle(Object.entries(paths), random);
          for (const [name, next] of order) {
            const t = performance.now();
            await routes(form(route, next()));
            times[name]?.push(performance.now() - t);
            // The deferred work is not part of the answer, but it must not pile up into the next one.
            await settle();
          }
        }
        const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
        const values = ['unknown', 'subscribed', 'suppressed'].map((p) => medians[p] ?? 0);
        spreads[mode] = Math.max(...values) / Math.min(...values);
        const control = [medians.unknown ?? 0, medians['unknown (control)'] ?? 0];
        spreads[`${mode} control`] = Math.max(...control) / Math.min(...control);
        for (const [name, value] of Object.entries(medians)) {
          figures.push({
            name: `${route} ${mode}: ${name} address, answer time (median of ${ROUNDS})`,
            value,
            unit: 'ms',
          });
        }
      }
      figures.push({
        name: `${route}: A/A control, unknown vs unknown again (handed off)`,
        value: spreads['handed off (Lambda) control'] ?? 0,
        unit: '×',
      });
      for (const mode of ['deferred', 'handed off (Lambda)']) {
        const spread = spreads[mode] ?? 0;
        figures.push({
          name: `${route}: slowest path median / fastest (${mode})`,
          value: spread,
          unit: '×',
          higherIsBetter: false,
          baseline: { name: 'work before the answer', value: spreads.inline ?? 0 },
          budget: { text: '< 1.10', ok: spread < 1.1 },
        });
      }
    }
    return figures;
  } finally {
    for (const stop of stops) await stop();
    clients.destroy();
    await emulators.stop();
  }
}

/** A small deterministic PRNG (mulberry32), so that two runs shuffle alike. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
