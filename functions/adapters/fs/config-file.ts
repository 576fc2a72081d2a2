import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../../core/config/schema.ts';
import { validateConfig } from '../../core/config/validate.ts';
import { ConfigError } from '../../core/errors.ts';

/** Where the config is looked for when `--config` is not given, in order. */
export const DEFAULT_CONFIG_PATHS = [
  'tidings.config.ts',
  'tidings.config.json',
  'tidings.config.yaml',
  'examples/tidings.config.ts',
];

/** Finds the config file: the explicit path, `$TIDINGS_CONFIG`, or the first default that exists. */
export function resolveConfigPath(explicit?: string, cwd = process.cwd()): string {
  const chosen = explicit ?? process.env.TIDINGS_CONFIG;
  if (chosen) return resolve(cwd, chosen);
  for (const candidate of DEFAULT_CONFIG_PATHS) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    'CONFIG_NOT_FOUND',
    `no config file: looked for ${DEFAULT_CONFIG_PATHS.join(', ')}; copy examples/tidings.config.ts to ./tidings.config.ts or pass --config <file>`,
  );
}

/** Loads and validates a config file (.ts/.mjs/.js default export, .json, or .yaml). */
export async function loadConfig(
  explicit?: string,
  cwd = process.cwd(),
): Promise<{ config: Config; path: string }> {
  const path = resolveConfigPath(explicit, cwd);
  if (!existsSync(path)) throw new ConfigError('CONFIG_NOT_FOUND', `${path}: config file not found`);
  let raw: unknown;
  const ext = extname(path);
  try {
    if (ext === '.json') raw = JSON.parse(await readFile(path, 'utf8'));
    else if (ext === '.yaml' || ext === '.yml') raw = parseYaml(await readFile(path, 'utf8'));
    else raw = (await importConfigModule(path)).default;
  } catch (cause) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      `${path}: cannot read config: ${(cause as Error).message.split('\n')[0]}`,
      {
        cause,
      },
    );
  }
  return { config: validateConfig(raw, path), path };
}

/**
 * Imports a .ts/.mts/.cts/.js/.mjs config. TypeScript goes through tsx's `tsImport`, scoped to this one
 * import: a plain `import()` of a .ts file outside the checkout (no `"type": "module"` package.json above
 * it) made tsx's require hook load it as CommonJS and fail with "Cannot require() ES Module … in a cycle".
 */
async function importConfigModule(path: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(path).href;
  if (/\.[cm]?tsx?$/i.test(path)) {
    const module = (await tsImport(url, import.meta.url)) as { default?: unknown };
    // Outside a `"type": "module"` package tsx compiles the file to CommonJS: the namespace's `default` is
    // then module.exports, marked `__esModule`, and the config is its `default`.
    const exports = module.default as { __esModule?: boolean; default?: unknown } | undefined;
    return exports?.__esModule === true ? { default: exports.default } : module;
  }
  return (await import(url)) as { default?: unknown };
}
