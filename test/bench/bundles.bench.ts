// Bundle size and cold import time of every Lambda handler present on disk, bundled with esbuild exactly as
// the TidingsFunction construct bundles it (infra/constructs/bundling.ts: minified, the AWS SDK inside),
// against a naive bundle of the same handler: esbuild's defaults (CommonJS-first, unminified, the whole AWS
// SDK inside). For send, also the alternative the construct did not choose: the SDK left external (loaded
// from node_modules, as from the runtime's copy on Lambda).
// Budgets (issue #4): the send bundle ≤ 500 KB minified and free of mjml; its cold import ≤ 150 ms.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
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

export async function run(): Promise<BenchFigure[]> {
  rmSync(OUT, { recursive: true, force: true });
  const figures: BenchFigure[] = [];
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
    const mjml = Object.keys(tuned.metafile.inputs).filter((p) => /node_modules\/mjml/.test(p)).length;
    figures.push({
      name: `bundle: ${name} (minified, SDK bundled)`,
      value: tuned.bytes / 1024,
      unit: 'KB',
      higherIsBetter: false,
      baseline: { name: 'naive bundle', value: naive.bytes / 1024 },
      ...(isSend
        ? {
            budget: {
              text: `≤ ${SEND_SIZE_BUDGET_KB} KB, no mjml (${mjml} mjml modules)`,
              ok: tuned.bytes / 1024 <= SEND_SIZE_BUDGET_KB && mjml === 0,
            },
          }
        : {}),
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

/** `tuned`: exactly the construct's options. Otherwise: esbuild's defaults for a Node bundle. */
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
      ? { minify: true, sourcemap: true, mainFields: BUNDLE_MAIN_FIELDS, external: [...external] }
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
