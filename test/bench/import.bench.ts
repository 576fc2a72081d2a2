// Subscriber import (issue 13 §3, §4), measured through the CLI: `tidings subscribers import` is spawned
// against dynalite (started here, as `tidings dev` starts it, and reached over HTTP with --endpoint), beside
// the naive way measured in the same run (one SubscriberStore.put per row, one after another). Then the
// peak memory of a `--dry-run` of a 50 MB export, read from the child process (its maxRSS), beside the naive
// plan that reads the whole file into memory. Nothing here is asserted: budgets are printed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { planImport } from '../../functions/core/import/index.ts';
import { newSubscriberId } from '../../functions/core/subscribers/index.ts';
import { createTable, startEmulators } from '../../functions/local/emulators.ts';
import type { ImportReport } from '../../functions/use-cases/import-subscribers.ts';
import { tidingsNodeFlags } from './node-flags.ts';
import type { BenchFigure } from './run.ts';

/** Rows of the file imported through the CLI: enough that the process start weighs little. */
const CLI_ROWS = 10_000;
/** Rows written one put at a time (the rate per row is what is compared). */
const NAIVE_ROWS = 2_000;
const BIG_FILE_MB = 50;
const AT = '2026-04-01T00:00:00.000Z';

const root = fileURLToPath(new URL('../../', import.meta.url));
const maxRssPreload = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));

/** A generic export of `n` rows from `from`; `pad` characters of notes make each row longer. */
function exportRows(n: number, from = 0, pad = 0): string {
  const note = 'x'.repeat(pad);
  const lines = ['email,name,lists,cadence,status,created_at,ip,city,notes'];
  for (let i = from; i < from + n; i++) {
    lines.push(
      `reader.${i}@example.org,Reader ${i},${i % 3 === 0 ? 'podcast;essays' : 'podcast'},instant,${i % 10 === 0 ? 'unsubscribed' : 'subscribed'},2025-01-01T00:00:00.000Z,192.0.2.${i % 250},Lyon,${note}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** Peak resident set size of the child, in MB. */
  readonly maxRssMb: number;
}

/** Runs node with the max-RSS preload in a child, and waits for it. */
function runNode(args: readonly string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', maxRssPreload, ...args], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const kb = Number(/max-rss-kb (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started, maxRssMb: kb / 1024 });
    });
  });
}

export async function run(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-import-bench-'));
  const emulators = await startEmulators();
  const clients = makeClients({
    region: 'us-east-1',
    endpoints: emulators.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
  try {
    for (const table of ['naive', 'cli', 'big']) await createTable(clients.dynamodb, table);
    // With the Node flags on bin/tidings.mjs's first line, as `npx tidings` runs it.
    const tidings = (file: string, table: string, ...flags: string[]) =>
      runNode([
        ...tidingsNodeFlags(),
        'bin/tidings.mjs',
        'subscribers',
        'import',
        file,
        '--list',
        'podcast',
        '--config',
        'examples/tidings.config.ts',
        '--endpoint',
        emulators.endpoints.dynamodb,
        '--table',
        table,
        '--json',
        ...flags,
      ]);

    // Naive: every row is one put, awaited before the next (what a loop over `subscribers add` does).
    const naiveStore = new DynamoSubscriberStore({ doc: clients.doc, tableName: 'naive' });
    const plan = planImport(exportRows(NAIVE_ROWS, 1_000_000), {
      source: 'naive.csv',
      listId: 'podcast',
      lists: { podcast: 'instant', essays: 'weekly' },
    });
    const t = performance.now();
    for (const r of plan.rows) {
      await naiveStore.put({
        id: newSubscriberId((n) => new Uint8Array(randomBytes(n))),
        email: r.email,
        ...(r.name ? { name: r.name } : {}),
        attributes: r.attributes,
        lists: Object.fromEntries(
          Object.entries(r.memberships).map(([l, m]) => [l, { ...m, updatedAt: AT }]),
        ),
        createdAt: r.createdAt ?? AT,
        updatedAt: AT,
      });
    }
    const naiveRate = (plan.rows.length / (performance.now() - t)) * 1000;

    // The CLI, a fresh process against dynalite over HTTP: wall time includes its start.
    const file = join(dir, 'readers.csv');
    writeFileSync(file, exportRows(CLI_ROWS));
    const first = await tidings(file, 'cli');
    if (first.code !== 0) throw new Error(`import: ${first.stderr.trim()}`);
    const report = JSON.parse(first.stdout) as ImportReport;
    const cliRate = (report.rows / first.wallMs) * 1000;
    const inside = (report.rows / report.elapsedMs) * 1000;
    const again = await tidings(file, 'cli');
    const againReport = JSON.parse(again.stdout) as ImportReport;
    const againRate = (againReport.rows / again.wallMs) * 1000;

    // 50 MB with --dry-run: the peak memory of the whole CLI process.
    const big = join(dir, 'big.csv');
    const rowBytes = exportRows(1, 0, 160).split('\n')[1]?.length ?? 300;
    const bigRows = Math.ceil((BIG_FILE_MB * 1024 * 1024) / (rowBytes + 1));
    writeFileSync(big, exportRows(bigRows, 0, 160));
    const bigMb = statSync(big).size / 1024 / 1024;
    const dry = await tidings(big, 'big', '--dry-run');
    if (dry.code !== 0) throw new Error(`dry run: ${dry.stderr.trim()}`);
    // The floor: the same command on 100 rows (the CLI's own modules: the SDK, mjml, juice, …).
    const small = join(dir, 'small.csv');
    writeFileSync(small, exportRows(100, 0, 160));
    const floor = await tidings(small, 'big', '--dry-run');
    // The floor as it was: every command module and every use case loaded at start (test/bench/cli-eager.ts).
    const eager = await runNode(['--import', 'tsx', 'test/bench/cli-eager.ts']);
    if (eager.code !== 0) throw new Error(`eager floor: ${eager.stderr.trim()}`);
    const whole = await runNode(['--import', 'tsx', 'test/bench/import-whole.ts', big]);
    if (whole.code !== 0) throw new Error(`whole-file plan: ${whole.stderr.trim()}`);

    return [
      {
        name: `import via CLI: ${report.rows} rows, wall time incl. process start`,
        value: cliRate,
        unit: 'rows/s',
        higherIsBetter: true,
        baseline: { name: 'one put per row', value: naiveRate },
        budget: { text: '≥ 1,000 rows/s', ok: cliRate >= 1000 },
      },
      {
        name: 'import via CLI: the use case alone (report.elapsedMs)',
        value: inside,
        unit: 'rows/s',
        higherIsBetter: true,
        baseline: { name: 'one put per row', value: naiveRate },
      },
      {
        name: 'import via CLI: the same file again (nothing written)',
        value: againRate,
        unit: 'rows/s',
        higherIsBetter: true,
        baseline: { name: 'first import', value: cliRate },
      },
      {
        name: `import --dry-run of a ${bigMb.toFixed(0)} MB file (${bigRows} rows): peak RSS`,
        value: dry.maxRssMb,
        unit: 'MB',
        higherIsBetter: false,
        baseline: { name: 'whole file planned in memory', value: whole.maxRssMb },
        budget: { text: '≤ 200 MB', ok: dry.maxRssMb <= 200 },
      },
      {
        name: 'import --dry-run of 100 rows: peak RSS (the CLI process floor)',
        value: floor.maxRssMb,
        unit: 'MB',
        higherIsBetter: false,
        baseline: { name: 'every command and use case loaded eagerly', value: eager.maxRssMb },
      },
      {
        name: `import --dry-run of ${bigMb.toFixed(0)} MB: peak RSS above the floor`,
        value: dry.maxRssMb - floor.maxRssMb,
        unit: 'MB',
        higherIsBetter: false,
      },
      {
        name: `import --dry-run of ${bigMb.toFixed(0)} MB: wall time`,
        value: dry.wallMs / 1000,
        unit: 's',
        higherIsBetter: false,
      },
    ];
  } finally {
    clients.destroy();
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
