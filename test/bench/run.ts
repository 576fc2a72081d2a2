// `npm run bench`: runs every test/bench/*.bench.ts one after another, each in a fresh Node process of
// its own, and prints each figure beside the naive approach measured in the same run (the naive path is
// always measured in the same process as the figure it is compared with). A bench module exports
// `run(): Promise<BenchFigure[]>`. Nothing here is a pass/fail test; budgets are printed, not asserted.
//
// One process per file: in one shared process, what an earlier file left in the heap (esbuild's
// metafiles, the emulators' modules) made a later file's figures depend on the order of the files (the
// render figures dropped by 30-40 % after the bundle and import benches). A Lambda runs one function.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchFigure {
  /** e.g. 'render: MJML per edition (median)'. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The naive approach, measured in the same run, in the same unit. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** Whether a higher value is better (throughput) or a lower one (latency, bytes). */
  readonly higherIsBetter?: boolean;
  /** The budget from the issue, e.g. '≤ 50 ms'; printed with a verdict. */
  readonly budget?: { readonly text: string; readonly ok: boolean };
}

// Pinned SDK versions: its notice about future Node 22-only releases would only clutter the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const here = dirname(fileURLToPath(import.meta.url));
const childOut = process.env.TIDINGS_BENCH_CHILD_OUT;

if (childOut) {
  // A child: run one file, print its figures as they come, and hand them to the parent as JSON.
  const file = process.argv[2] ?? '';
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<BenchFigure[]> };
  const figures = await mod.run();
  for (const figure of figures) process.stdout.write(`${formatFigure(figure)}\n`);
  await writeFile(childOut, JSON.stringify(figures));
} else {
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  await mkdir('out', { recursive: true });
  const all: Array<BenchFigure & { file: string }> = [];
  for (const file of files) {
    process.stdout.write(`\n# ${file}\n`);
    const out = join('out', `.bench-${file}.json`);
    await runChild(file, out);
    const figures = JSON.parse(await readFile(out, 'utf8')) as BenchFigure[];
    await rm(out, { force: true });
    for (const figure of figures) all.push({ ...figure, file });
  }
  await writeFile('out/bench.json', `${JSON.stringify(all, null, 2)}\n`);
  process.stdout.write(
    `\n${all.length} figures from ${files.length} benchmark files, each in its own process; written to out/bench.json\n`,
  );
}

/** Runs one bench file in a fresh process with this one's flags (--expose-gc, the tsx loader). */
function runChild(file: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), file], {
      stdio: 'inherit',
      env: { ...process.env, TIDINGS_BENCH_CHILD_OUT: out },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${file}: the bench process ended with ${signal ?? code}`)),
    );
  });
}

function formatFigure(f: BenchFigure): string {
  const value = `${round(f.value)} ${f.unit}`;
  let ratio = '';
  if (f.baseline && f.baseline.value > 0 && f.value > 0) {
    const r = f.higherIsBetter === false ? f.baseline.value / f.value : f.value / f.baseline.value;
    ratio = `  (${round(r)}× vs ${f.baseline.name}: ${round(f.baseline.value)} ${f.unit})`;
  }
  const budget = f.budget ? `  [budget ${f.budget.text}: ${f.budget.ok ? 'ok' : 'MISSED'}]` : '';
  return `  ${f.name.padEnd(58)} ${value}${ratio}${budget}`;
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
