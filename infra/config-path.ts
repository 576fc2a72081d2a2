import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../functions/core/errors.ts';

/** The files `cdk synth|deploy` looks for in the current directory when no config is named. */
export const DEPLOY_CONFIG_FILES = [
  'tidings.config.ts',
  'tidings.config.json',
  'tidings.config.yaml',
] as const;

/**
 * The config file of a deployment: `-c config=<file>`, then $TIDINGS_CONFIG, then the first of
 * DEPLOY_CONFIG_FILES in `cwd`. Unlike the CLI (which falls back to examples/ for the demo), a deployment
 * never takes the example: it throws CONFIG_NOT_FOUND with one line saying how to create the file.
 */
export function deployConfigPath(
  fromContext: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = fromContext ?? env.TIDINGS_CONFIG;
  if (chosen) return resolve(cwd, chosen);
  for (const file of DEPLOY_CONFIG_FILES) {
    const path = resolve(cwd, file);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    'CONFIG_NOT_FOUND',
    `no deployment config: cp examples/tidings.config.ts tidings.config.ts, edit it for your site, then run cdk again (or pass -c config=<file>)`,
  );
}
