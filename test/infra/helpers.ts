import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../functions/adapters/fs/config-file.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import type { HandlerName } from '../../infra/handlers.ts';
import { buildTidingsApp, type TidingsApp } from '../../infra/tidings-app.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** The example config, validated exactly as `cdk synth` validates it. */
export async function exampleConfig(): Promise<Config> {
  return (await loadConfig('examples/tidings.config.ts', PROJECT_ROOT)).config;
}

/** One finding cdk-nag (or another validation plugin) reported and nobody acknowledged. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
}

/**
 * Builds and synthesizes the whole app (bundling every handler with esbuild) into a temp directory. A synth
 * with unacknowledged cdk-nag findings throws; `findings` lists them, read from the validation report.
 */
export function synthApp(
  config: Config,
  handlers?: ReadonlySet<HandlerName>,
): TidingsApp & { findings: Finding[]; synthError?: Error } {
  const outdir = mkdtempSync(join(tmpdir(), 'tidings-cdk-'));
  const built = buildTidingsApp({
    config,
    projectRoot: PROJECT_ROOT,
    outdir,
    ...(handlers ? { handlers } : {}),
  });
  let synthError: Error | undefined;
  try {
    built.app.synth();
  } catch (error) {
    synthError = error as Error;
  }
  return { ...built, findings: readFindings(outdir), ...(synthError ? { synthError } : {}) };
}

function readFindings(outdir: string): Finding[] {
  const path = join(outdir, 'validation-report.json');
  if (!existsSync(path)) return [];
  const report = JSON.parse(readFileSync(path, 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((c) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        path: c.constructPath,
      })),
    ),
  );
}
