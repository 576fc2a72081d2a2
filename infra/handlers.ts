import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every handler the stacks know how to deploy, in `functions/handlers/<name>.ts`, each exporting `handler`. */
export const HANDLER_NAMES = [
  'publish',
  'poll-feeds',
  'digest',
  'plan',
  'send',
  'reconcile',
  'feedback',
  'http',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The handler's entry file, relative to the project root. */
export function handlerEntry(name: HandlerName): string {
  return `functions/handlers/${name}.ts`;
}

/**
 * The handlers present on disk. A handler that has not been written yet is not deployed, and nothing that
 * would trigger it (schedule, URL, queue source, rule) is created: no fake routes, no stubs.
 */
export function presentHandlers(projectRoot: string): ReadonlySet<HandlerName> {
  return new Set(HANDLER_NAMES.filter((name) => existsSync(join(projectRoot, handlerEntry(name)))));
}
