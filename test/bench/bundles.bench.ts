// Bundle size and cold import time of every Lambda handler present on disk, bundled with esbuild exactly as
// the TidingsFunction construct bundles it (infra/constructs/bundling.ts: minified, the AWS SDK inside),
// against a naive bundle of the same handler: esbuild's defaults (CommonJS-first, unminified, the whole AWS
// SDK inside). For send, also the alternative the construct did not choose: the SDK left external (loaded
// from node_modules, as from the runtime's copy on Lambda).
// Budgets (issue #4): the send bundle ≤ 500 KB minified and free of mjml; its cold import ≤ 150 ms.
// Budgets (issue 12 §3): no bundle holds the TypeScript compiler; http, send and feedback ≤ 600 KB; plan
// and digest ≤ 3 MB; only plan and digest (and publish, poll-feeds, which can plan when no plan function
// is deployed) carry mjml; the http function's cold import ≤ 2× a baseline measured in the same run:
// importing @aws-sdk/client-ses alone, from node_modules, in a fresh process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  bundleAliases,
} from '../../infra/constructs/bundling.ts';
import { HANDLER_NAMES, handlerEntry } from '../../infra/handlers.ts';
import type { BenchFigure } from './run.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// Inside the project, so a bundle's external @aws-sdk/* imports resolve to node_modules as they resolve to
// the runtime's copy on Lambda.
const OUT = join(ROOT, 'out', 'bench-bundles');
const IMPORT_RUNS = 5;
const SEND_SIZE_BUDGET_KB = 500;
const SEND_IMPORT_BUDGET_MS = 150;
/** Issue 12 §3: size budgets by function; the others have none. */
const SIZE_BUDGET_KB: Partial<Record<string, number>> = {
  http: 600,
  send: SEND_SIZE_BUDGET_KB,
  feedback: 600,
  plan: 3 * 1024,
  digest: 3 * 1024,
};
/** The functions that may bundle mjml: the ones that render editions. */
const MAY_BUNDLE_MJML = new Set(['plan', 'digest', 'publish', 'poll-feeds']);
const HTTP_IMPORT_BUDGET_RATIO = 2;

export async function run(): Promise<BenchFigure[]> {
  rmSync(OUT, { recursive: true, force: true });
  const figures: BenchFigure[] = [];
  // The baseline of the http function's cold import: @aws-sdk/client-ses alone, as a fresh process loads it.
  const baselineFile = join(OUT, 'client-ses-baseline.mjs');
  mkdirSync(OUT, { recursive: true });
  writeFileSync(baselineFile, "import '@aws-sdk/client-ses';\n");
  const sesBaselineMs = coldImportMs(baselineFile);
  for (const name of HANDLER_NAMES) {
    const entry = join(ROOT, handlerEntry(name));
    let tuned: Bundle;
    let naive: Bundle;
    try {
      tuned = await bundle(entry, join(OUT, name, 'index.mjs'), true);
      naive = await bundle(entry, join(OUT, `${name}-naive`, 'index.mjs'), false);
    } catch (error) {
      // A handler another change is still writing: say so, and measure the others.
      process.stdout.write(
        `  ${name}: does not bundle yet: ${(error as Error).message.split('\n')[1] ?? ''}\n`,
      );
      continue;
    }
    const isSend = name === 'send';
    const sdkExternal = isSend
      ? await bundle(entry, join(OUT, `${name}-sdk-external`, 'index.mjs'), true, ['@aws-sdk/*'])
      : undefined;
    const inputs = Object.keys(tuned.metafile.inputs);
    const mjml = inputs.filter((p) => /node_modules\/mjml/.test(p)).length;
    const typescript = inputs.filter((p) => /node_modules\/typescript\//.test(p)).length;
    const sizeBudget = SIZE_BUDGET_KB[name];
    const checks = [
      `no TypeScript compiler (${typescript} modules)`,
      ...(MAY_BUNDLE_MJML.has(name) ? [] : [`no mjml (${mjml} modules)`]),
      ...(sizeBudget ? [`≤ ${sizeBudget} KB`] : []),
    ];
    figures.push({
      name: `bundle: ${name} (minified, SDK bundled)`,
      value: tuned.bytes / 1024,
      unit: 'KB',
      higherIsBetter: false,
      baseline: { name: 'naive bundle', value: naive.bytes / 1024 },
      budget: {
        text: checks.join(', '),
        ok:
          typescript === 0 &&
          (MAY_BUNDLE_MJML.has(name) || mjml === 0) &&
          (!sizeBudget || tuned.bytes / 1024 <= sizeBudget),
      },
    });
    const tunedMs = coldImportMs(tuned.file);
    const naiveMs = coldImportMs(naive.file);
    figures.push({
      name: `cold import: ${name} (median of ${IMPORT_RUNS})`,
      value: tunedMs,
      unit: 'ms',
      higherIsBetter: false,
      baseline: { name: 'naive bundle', value: naiveMs },
      ...(isSend
        ? { budget: { text: `≤ ${SEND_IMPORT_BUDGET_MS} ms`, ok: tunedMs <= SEND_IMPORT_BUDGET_MS } }
        : {}),
    });
    if (name === 'http') {
      figures.push({
        name: `cold import: http vs importing @aws-sdk/client-ses alone (median of ${IMPORT_RUNS})`,
        value: tunedMs,
        unit: 'ms',
        higherIsBetter: false,
        baseline: { name: '@aws-sdk/client-ses alone', value: sesBaselineMs },
        budget: {
          text: `≤ ${HTTP_IMPORT_BUDGET_RATIO}× the baseline (${(tunedMs / sesBaselineMs).toFixed(2)}×)`,
          ok: tunedMs <= HTTP_IMPORT_BUDGET_RATIO * sesBaselineMs,
        },
      });
    }
    if (sdkExternal) {
      const externalMs = coldImportMs(sdkExternal.file);
      figures.push({
        name: `cold import: ${name}, SDK bundled vs SDK external (${(sdkExternal.bytes / 1024).toFixed(0)} KB, from node_modules)`,
        value: tunedMs,
        unit: 'ms',
        higherIsBetter: false,
        baseline: { name: 'SDK external', value: externalMs },
      });
    }
  }
  return figures;
}

/**
 * `tuned`: exactly the construct's options (no source map: it is opt-in). Otherwise: esbuild's defaults for
 * a Node bundle.
 */
interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

async function bundle(
  entry: string,
  outfile: string,
  tuned: boolean,
  external: readonly string[] = BUNDLE_EXTERNALS,
): Promise<Bundle> {
  mkdirSync(join(outfile, '..'), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    banner: { js: BUNDLE_BANNER },
    metafile: true,
    logLevel: 'error',
    ...(tuned
      ? {
          minify: true,
          mainFields: BUNDLE_MAIN_FIELDS,
          external: [...external],
          alias: bundleAliases(ROOT),
        }
      : {}),
  });
  return { file: outfile, bytes: statSync(outfile).size, metafile: result.metafile };
}

/** A fresh Node process per run: import the bundle, report how long the import took; the median. */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', POWERTOOLS_DEV: 'false' },
    });
    if (child.status !== 0)
      throw new Error(`importing ${file} failed: ${child.stderr.split('\n').slice(0, 3).join(' ')}`);
    times.push(Number(child.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
