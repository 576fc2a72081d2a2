/** Every handler the stacks deploy, in `functions/handlers/<name>.ts`, each exporting `handler`. */
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
