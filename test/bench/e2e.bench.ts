// An edition end to end on the local stack, as a user waits for it: publish → the last message in the SES
// emulator's store, for 2,000 and 10,000 readers at a configured rate of 200/s and of 2,000/s (the
// emulator's quota set to match, and enforced as SES does), beside the ideal N ÷ rate on the same clock.
// The stack runs in the layout `tidings dev` and `npm start` use (DEV_LAYOUT); the two other layouts are
// measured at 2,000 readers and 2,000/s in the same run, so the choice of layout rests on a figure. Also:
// the RSS of the whole stack (its process, the emulators' and the sender's, and their children) at its
// peak, and the CPU time the whole stack spent per message: on a machine shared with other work the wall
// clock says more about the neighbours than about the code. The readers are written into the table from a
// process of their own (e2e-seed.ts), as `tidings subscribers import` writes into `tidings dev`: written from
// this process, the import's own garbage alone took the stack to 414 MB at 10,000 readers before the publish.
// The naive ledger (its writes through the SDK) runs right after each 2,000-reader edition. Each edition in
// `tidings dev`'s layout is measured twice: the first after the stack started, then a second post to the
// same readers on the same stack, as a `tidings dev` that has sent before delivers it. Each edition runs
// in a process of its own, started with the flags `tidings` runs with (e2e-edition.ts). `npm run bench -- e2e`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEV_LAYOUT } from '../../functions/local/local-stack.ts';
import { LAYOUTS, layoutName, type Run, SDK_LEDGER } from './e2e-edition.ts';
import { tidingsNodeFlags } from './node-flags.ts';
import type { BenchFigure } from './run.ts';

const REPO = join(import.meta.dirname, '../..');

/** e2e-edition.ts in a process of its own, started with `tidings`'s flags; resolves to the JSON it prints. */
function child<T>(args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...tidingsNodeFlags(), '--import', 'tsx', join(import.meta.dirname, 'e2e-edition.ts'), ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as T);
      else reject(new Error(`${what} ended with ${code}: ${out}`));
    });
  });
}

/** One edition in a process of its own; `layout` names one of e2e-edition.ts's NAMED_LAYOUTS. */
const edition = (readers: number, rate: number, layout: string, next = false) =>
  child<Run>(
    [String(readers), String(rate), layout, ...(next ? ['next'] : [])],
    `the edition (${readers} at ${rate}/s, ${layout})`,
  );

/** An idle `tidings dev`: % of one core, with the runner's long polls (1 s) or the short polls (0). */
const idle = (waitTimeSeconds: number) =>
  child<{ corePercent: number }>(
    ['idle', String(waitTimeSeconds)],
    `the idle stack (${waitTimeSeconds} s polls)`,
  );

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  // An idle stack first, on a quiet machine: what `tidings dev` costs while nothing is sent.
  const [shortPolls, longPolls] = [await idle(0), await idle(1)];
  figures.push({
    name: 'e2e: an idle tidings dev, CPU of the whole stack (runner long-polling 1 s)',
    value: longPolls.corePercent,
    unit: '% of a core',
    higherIsBetter: false,
    baseline: { name: 'short polls every 25 ms', value: shortPolls.corePercent },
  });
  const dev = layoutName(DEV_LAYOUT);
  const paced = (readers: number, rate: number, layout: string, r: Omit<Run, 'next'>) => {
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
      // The first edition after the stack started, then the next one on the same stack: V8 compiles the
      // stack's code while the first goes out (about half its CPU at 2,000 readers), the next finds it compiled.
      const { next, ...first } = await edition(readers, rate, dev, true);
      paced(readers, rate, `${dev}, first edition after start`, first);
      if (next) paced(readers, rate, `${dev}, next edition on the same stack`, next);
      // Right after, on the same machine's load: the edition with the SDK's ledger writes. A sender in
      // its own thread cannot take a replaced ledger (`decorate`): this one sends from the main thread, and
      // the layouts below measure that layout with the lean ledger in the same run.
      if (readers === compared && rate === 2_000)
        paced(
          readers,
          rate,
          `${layoutName(SDK_LEDGER)}, ledger writes through the SDK`,
          await edition(readers, rate, 'sdk-ledger'),
        );
    }
  if (process.env.TIDINGS_BENCH_E2E_LAYOUTS !== '0')
    for (const name of Object.keys(LAYOUTS))
      if (name !== dev) paced(compared, 2_000, name, await edition(compared, 2_000, name));
  return figures;
}
