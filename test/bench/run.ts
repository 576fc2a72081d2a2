// `npm run bench`: runs every test/bench/*.bench.ts in one process, one after another, and prints each
// figure beside the naive approach measured in the same run. A bench module exports
// `run(): Promise<BenchFigure[]>`. Nothing here is a pass/fail test; budgets are printed, not asserted.
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const all: Array<BenchFigure & { file: string }> = [];
for (const file of files) {
  process.stdout.write(`\n# ${file}\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<BenchFigure[]> };
  for (const figure of await mod.run()) {
    all.push({ ...figure, file });
    process.stdout.write(`${formatFigure(figure)}\n`);
  }
}

await mkdir('out', { recursive: true });
await writeFile('out/bench.json', `${JSON.stringify(all, null, 2)}\n`);
process.stdout.write(
  `\n${all.length} figures from ${files.length} benchmark files; written to out/bench.json\n`,
);

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
