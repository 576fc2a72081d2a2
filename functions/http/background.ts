import type { HttpLog } from './route-context.ts';

/**
 * Work a long-lived server runs after it has answered (HttpDeps.later): each task starts at once and is
 * not awaited by the request; a failure is logged, never thrown. `settle()` waits for every task started
 * so far (a server's shutdown, a test, a bench).
 *
 * @example
 * const tasks = backgroundTasks(log);
 * const routes = createRouteTable({ ...deps, later: tasks.later });
 */
export function backgroundTasks(log: HttpLog = () => {}): {
  readonly later: (task: () => Promise<void>) => void;
  settle(): Promise<void>;
} {
  const running = new Set<Promise<void>>();
  return {
    later(task) {
      const run = task()
        .catch((error: unknown) => {
          log('error', 'background-task-failed', {
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        })
        .finally(() => running.delete(run));
      running.add(run);
    },
    async settle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
