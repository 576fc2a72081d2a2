// An edition end to end on the local stack, as a user waits for it: publish → the last message in the SES
// emulator's store, for 2,000 and 10,000 readers at a configured rate of 200/s and of 2,000/s (the
// emulator's quota set to match, and enforced as SES does), beside the ideal N ÷ rate on the same clock.
// The stack runs in the layout `tidings dev` and `npm start` use (DEV_LAYOUT); the two other layouts are
// measured at 2,000 readers and 2,000/s in the same run, so the choice of layout rests on a figure. Also:
// the RSS of the whole stack (this process, the emulators' and the sender's, and their children) at its
// peak, and the CPU time the whole stack spent per message: on a machine shared with other work the wall
// clock says more about the neighbours than about the code. The readers are written into the table from a
// process of their own (e2e-seed.ts), as `tidings subscribers import` writes into `tidings dev`: written from
// this process, the import's own garbage alone took the stack to 414 MB at 10,000 readers before the publish.
// The naive ledger (its writes through the SDK) runs right after each 2,000-reader edition. `npm run bench -- e2e`.
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
  type LocalStackOptions,
  startLocalStack,
} from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { aKeyRing, anExampleConfig, aPost } from '../helpers/factories.ts';
import type { BenchFigure } from './run.ts';

// The main thread's young generation as `tidings dev` has it (bin/tidings.mjs).
setFlagsFromString('--max-semi-space-size=2');

type Layout = Pick<
  LocalStackOptions,
  'emulatorProcess' | 'emulatorThread' | 'senderProcess' | 'senderThread' | 'decorate'
>;
const LAYOUTS: Record<string, Layout> = {
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
const SDK_LEDGER: Layout = {
  emulatorThread: 'split',
  decorate: (adapters) => ({
    ledger: new DynamoDeliveryLedger({
      doc: (adapters as typeof adapters & { clients: AwsClients }).clients.doc,
      tableName: LOCAL_TABLE,
    }),
  }),
};
const layoutName = (l: Layout) =>
  Object.entries(LAYOUTS).find(
    ([, v]) =>
      v.emulatorProcess === (l as Layout).emulatorProcess &&
      v.emulatorThread === (l as Layout).emulatorThread &&
      Boolean(v.senderThread) === Boolean((l as Layout).senderThread) &&
      Boolean(v.senderProcess) === Boolean((l as Layout).senderProcess),
  )?.[0] ?? 'custom';

interface Run {
  readonly seconds: number;
  readonly rssMb: number;
  readonly cpuMsPerMessage: number;
  /** Messages in the SES store when the run gave up (600 s), if it did. */
  readonly stuckAt?: number;
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

async function edition(readers: number, rate: number, layout: Layout): Promise<Run> {
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
    senders: 4,
  });
  try {
    // Written from a process of its own, as `tidings subscribers import` writes into `tidings dev`.
    await seed(stack.emulators.endpoints.dynamodb, LOCAL_TABLE, readers);
    const pids = tree(stack.pids);
    let rssMb = usage(pids).rssMb;
    const cpuBefore = usage(pids).cpuMs;
    const started = performance.now();
    const published = await stack.app.publish(
      aPost({ id: `ep-e2e-${rate}`, slug: `ep-e2e-${rate}`, lists: ['podcast'] }),
    );
    if (published.lists[0]?.action !== 'planned') throw new Error('expected a planned edition');
    let count = 0;
    for (let i = 0; ; i++) {
      count = await countSesStore(stack.emulators.sesStoreUrl);
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
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dev = layoutName(DEV_LAYOUT);
  const paced = (readers: number, rate: number, layout: string, r: Run) => {
    const achieved = (r.stuckAt ?? readers) / r.seconds;
    const floor = rate <= 200 ? 0.9 * rate : 500;
    const label = `${readers.toLocaleString('en')} readers at ${rate}/s, ${layout}${
      r.stuckAt === undefined ? '' : ` (UNFINISHED: ${r.stuckAt} delivered in 600 s)`
    }`;
    process.stderr.write(
      `  (${label}: ${r.seconds.toFixed(1)} s, ${r.cpuMsPerMessage.toFixed(1)} ms CPU/msg, ${r.rssMb.toFixed(0)} MB)\n`,
    );
    figures.push(
      {
        name: `e2e: ${label}: publish → last message`,
        value: achieved,
        unit: 'msg/s',
        higherIsBetter: true,
        baseline: { name: `ideal (${readers} ÷ ${rate}/s = ${(readers / rate).toFixed(1)} s)`, value: rate },
        budget: { text: `≥ ${floor} msg/s`, ok: achieved >= floor },
      },
      {
        name: `e2e: ${label}: CPU time of the whole stack per message`,
        value: r.cpuMsPerMessage,
        unit: 'ms',
        higherIsBetter: false,
      },
      {
        name: `e2e: ${label}: RSS of the whole stack (peak)`,
        value: r.rssMb,
        unit: 'MB',
        higherIsBetter: false,
        ...(readers >= 10_000 ? { budget: { text: '≤ 500 MB', ok: r.rssMb <= 500 } } : {}),
      },
    );
  };
  const only = process.env.TIDINGS_BENCH_E2E_READERS?.split(',').map(Number);
  const compared = Math.min(2_000, ...(only ?? []));
  for (const readers of only ?? [2_000, 10_000])
    for (const rate of [200, 2_000]) {
      paced(readers, rate, dev, await edition(readers, rate, DEV_LAYOUT));
      // Right after, on the same machine's load: the edition with the SDK's ledger writes. A sender in
      // its own thread cannot take a replaced ledger (`decorate`): this one sends from the main thread, and
      // the layouts below measure that layout with the lean ledger in the same run.
      if (readers === compared && rate === 2_000)
        paced(
          readers,
          rate,
          `${layoutName(SDK_LEDGER)}, ledger writes through the SDK`,
          await edition(readers, rate, SDK_LEDGER),
        );
    }
  if (process.env.TIDINGS_BENCH_E2E_LAYOUTS !== '0')
    for (const [name, layout] of Object.entries(LAYOUTS))
      if (name !== dev) paced(compared, 2_000, name, await edition(compared, 2_000, layout));
  return figures;
}
