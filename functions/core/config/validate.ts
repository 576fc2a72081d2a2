import { ConfigError } from '../errors.ts';
import { type Config, configSchema } from './schema.ts';

/**
 * Validates a configuration object. Throws one `ConfigError` whose message has one line per wrong
 * field, each naming the source and the field path.
 *
 * @example
 * validateConfig(raw, 'tidings.config.ts') // ConfigError: tidings.config.ts: lists[0].from.address: must be an email address
 */
export function validateConfig(raw: unknown, source: string): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${source}: ${formatPath(issue.path)}: ${issue.message}`);
  throw new ConfigError('CONFIG_INVALID', lines.join('\n'));
}

/** `lists.0.from` → `lists[0].from`. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Identity helper that gives a config file type checking and completion. */
export function defineConfig<T extends import('./schema.ts').ConfigInput>(config: T): T {
  return config;
}
