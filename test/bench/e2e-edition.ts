// One edition of the e2e bench (e2e.bench.ts), in a process of its own started with the flags `tidings`
// itself runs with (the first line of bin/tidings.mjs), so that the RSS measured is what `tidings dev` holds
// for that edition and nothing that an earlier edition of the bench left in the heap. Prints its Run as JSON.
//   node <bin/tidings.mjs's flags> --import tsx test/bench/e2e-edition.ts <readers> <rate> <layout> [next]
// With `next`, a second edition to the same readers follows on the same stack (Run.next).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { AwsClients } from '../../functions/adapters/aws/clients.ts';
import { DynamoDeliveryLedger } from '../../functions/adapters/aws/dynamo-delivery-ledger.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { countSesStore } from '../../functions/local/emulators.ts';
import {
  DEV_LAYOUT,
  LOCAL_TABLE,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { aKeyRing, anExampleConfig, aPost } from '../helpers/factories.ts';

// The emulator threads' young generation, as bin/tidings.mjs sets it (at run time: the main thread keeps V8's).
setFlagsFromString('--max-semi-space-size=2');

export type Layout = Pick<
  LocalStackOptions,
  'emulatorProcess' | 'emulatorThread' | 'senderProcess' | 'senderThread' | 'decorate'
>;
export const LAYOUTS: Record<string, Layout> = {
  'sender and emulators in threads (SES in its own)': { emulatorThread: 'split', senderThread: true },
  'emulators in threads, sender in the main one': { emulatorThread: 'split' },
  'one thread': {},
  'emulators apart (SES in its own process)': { emulatorProcess: 'split' },
  'emulators and sender apart': { emulatorProcess: 'split', senderProcess: true },
};
/**
 * The naive ledger, for the same-run comparison: the claim and the result through the SDK's DocumentClient
 * (its middleware stack) instead of the lean JSON client the wiring gives the ledger (dynamo-json-client.ts).
 */
export const SDK_LEDGER: Layout = {
  emulatorThread: 'split',
  decorate: (adapters) => ({
    ledger: new DynamoDeliveryLedger({
      doc: (adapters as typeof adapters & { clients: AwsClients }).clients.doc,
      tableName: LOCAL_TABLE,
    }),
  }),
};
export const layoutName = (l: Layout) =>
  Object.entries(LAYOUTS).find(
    ([, v]) =>
      v.emulatorProcess === (l as Layout).emulatorProcess &&
      v.emulatorThread === (l as Layout).emulatorThread &&
      Boolean(v.senderThread) === Boolean((l as Layout).senderThread) &&
      Boolean(v.senderProcess) === Boolean((l as Layout).senderProcess),
  )?.[0] ?? 'custom';

export interface Run {
  readonly seconds: number;
  readonly rssMb: number;
  readonly cpuMsPerMessage: number;
  /** Messages in the SES store when the run gave up (600 s), if it did. */
  readonly stuckAt?: number;
  /** With `next`: a second edition to the same readers on the same stack, once the first is out. */
  readonly next?: Omit<Run, 'next'>;
}

/** The readers, put into the stack's table by e2e-seed.ts in a child process. */
function seed(endpoint: string, table: string, readers: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'e2e-seed.ts'), endpoint, table, String(readers)],
      { stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding ended with ${code}`))));
  });
}

/** This process and the given ones, with every descendant (tsx's esbuild service, for one). */
function tree(pids: readonly number[]): number[] {
  const all = new Set<number>();
  const visit = (pid: number) => {
    if (all.has(pid)) return;
    all.add(pid);
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(' ') : []) visit(Number(c));
      }
    } catch {
      // gone, or not Linux
    }
  };
  for (const pid of [process.pid, ...pids]) visit(pid);
  return [...all];
}

/** RSS (MB) and CPU time (ms, user + system) summed over the processes. */
function usage(pids: readonly number[]): { rssMb: number; cpuMs: number } {
  let rssKb = 0;
  let ticks = 0;
  for (const pid of pids) {
    try {
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    } catch {
      // the process ended
    }
  }
  if (rssKb === 0)
    return { rssMb: process.memoryUsage().rss / 1048576, cpuMs: process.cpuUsage().user / 1000 };
  return { rssMb: rssKb / 1024, cpuMs: ticks * 10 };
}

/** Publishes one post to the list and waits for its `readers` messages (past `before` in the store). */
async function publishAndWait(
  stack: LocalStack,
  readers: number,
  rate: number,
  slug: string,
  before = 0,
): Promise<Omit<Run, 'next'>> {
  const pids = tree(stack.pids);
  let rssMb = usage(pids).rssMb;
  const cpuBefore = usage(pids).cpuMs;
  const started = performance.now();
  const published = await stack.app.publish(
    aPost({ id: `ep-${slug}-${rate}`, slug: `ep-${slug}-${rate}`, lists: ['podcast'] }),
  );
  if (published.lists[0]?.action !== 'planned') throw new Error('expected a planned edition');
  let count = 0;
  for (let i = 0; ; i++) {
    count = (await countSesStore(stack.emulators.sesStoreUrl)) - before;
    if (count >= readers) break;
    if (i % 10 === 0) rssMb = Math.max(rssMb, usage(tree(stack.pids)).rssMb);
    // A reader left claimed (an outcome unknown) waits for reconciliation, which the bench does not run:
    // the run is reported with what it delivered, and the next one goes on.
    if (performance.now() - started > 600_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const after = usage(tree(stack.pids));
  rssMb = Math.max(rssMb, after.rssMb);
  return {
    seconds,
    rssMb,
    cpuMsPerMessage: (after.cpuMs - cpuBefore) / Math.max(1, count),
    ...(count < readers ? { stuckAt: count } : {}),
  };
}

async function edition(readers: number, rate: number, layout: Layout, next = false): Promise<Run> {
  const base = anExampleConfig();
  const config = { ...base, sending: { ...base.sending, maxRate: rate } };
  // The table on disk, as `tidings dev` keeps it (.tidings/data): what a user's local stack holds in memory.
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-e2e-'));
  const stack = await startLocalStack({
    dataDir,
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
    ...layout,
    emulators: { sendQuota: { maxSendRate: rate, max24HourSend: 1e9 }, enforceMaxSendRate: true },
    // The senders `tidings dev` runs (the stack's default, 2). The bench ran 4 until 2026-12-06, which
    // `tidings dev` never did; 2,000 readers at 2,000/s, four pairs A/B: 326–462 msg/s with 2, 351–449 with 4.
  });
  try {
    // Written from a process of its own, as `tidings subscribers import` writes into `tidings dev`.
    await seed(stack.emulators.endpoints.dynamodb, LOCAL_TABLE, readers);
    const first = await publishAndWait(stack, readers, rate, 'e2e');
    if (!next || first.stuckAt !== undefined) return first;
    // The same stack, a second post to the same readers: what a `tidings dev` that has sent before
    // delivers, its code compiled by V8 and its caches filled, beside the first edition after a start.
    return { ...first, next: await publishAndWait(stack, readers, rate, 'e2e-next', readers) };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What an idle stack costs: the CPU time of the whole stack (% of one core) over `seconds` with nothing to send,
 * after it has settled, in `tidings dev`'s layout. `waitTimeSeconds`: the runner's long polls (1, as the stack
 * runs), or 0 for the short polls every 25 ms it made before.
 */
export async function idle(waitTimeSeconds: number, seconds = 6): Promise<{ readonly corePercent: number }> {
  const config = anExampleConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-idle-'));
  const stack = await startLocalStack({
    dataDir,
    config,
    keyRing: aKeyRing(),
    ...DEV_LAYOUT,
    runner: { waitTimeSeconds },
  });
  try {
    await new Promise((r) => setTimeout(r, 2_000));
    const pids = tree(stack.pids);
    const before = usage(pids).cpuMs;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpuMs = usage(tree(stack.pids)).cpuMs - before;
    return { corePercent: (100 * cpuMs) / (performance.now() - started) };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The layouts by name, the SDK ledger's included, as the parent names them on the command line. */
export const NAMED_LAYOUTS: Record<string, Layout> = { ...LAYOUTS, 'sdk-ledger': SDK_LEDGER };

if (process.argv[1]?.endsWith('e2e-edition.ts') && process.argv[2] === 'idle') {
  process.stdout.write(`${JSON.stringify(await idle(Number(process.argv[3] ?? 1)))}\n`);
  process.exit(0);
}
if (process.argv[1]?.endsWith('e2e-edition.ts')) {
  const [readers = '0', rate = '0', name = '', then = ''] = process.argv.slice(2);
  const layout = NAMED_LAYOUTS[name];
  if (!layout) throw new Error(`unknown layout ${name}: one of ${Object.keys(NAMED_LAYOUTS).join(', ')}`);
  const result = await edition(Number(readers), Number(rate), layout, then === 'next');
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
