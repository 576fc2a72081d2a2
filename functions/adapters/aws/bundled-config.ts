import { readFile } from 'node:fs/promises';
import type { Config } from '../../core/config/schema.ts';
import { ConfigError } from '../../core/errors.ts';
import { LambdaEnv } from './lambda-env.ts';

/**
 * Reads the config that `cdk synth` validated and wrote into the bundle (`tidings.config.json`, pointed to
 * by $TIDINGS_CONFIG). It was produced by `validateConfig` (every default applied), so it is read as-is:
 * no zod schema and no YAML parser in the Lambda bundles, which keeps the send function's bundle small
 * and its cold start short. Locally, use `loadConfig()` (functions/adapters/fs/config-file.ts).
 *
 * @example
 * const config = await loadBundledConfig() // in a Lambda handler's composition root
 */
export async function loadBundledConfig(
  path: string | undefined = process.env[LambdaEnv.ConfigPath],
): Promise<Config> {
  if (!path) {
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `${LambdaEnv.ConfigPath} is not set: deploy with infra/ (npx cdk deploy)`,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `${path}: the bundled config is missing; redeploy with npx cdk deploy`,
      {
        cause,
      },
    );
  }
  try {
    return JSON.parse(text) as Config;
  } catch (cause) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${path}: the bundled config is not JSON; redeploy with npx cdk deploy`,
      {
        cause,
      },
    );
  }
}
