// What `tidings dev` runs on a timer, as the deployed stack's schedules do: the reconcile pass (every 5
// minutes, like the reconcile function) and the sends whose time has come (every few seconds here: on AWS
// each has its own one-time schedule, with the reconcile pass as the backstop).

import type { Observability } from '../handlers/observability.ts';
import { type ReconcileRun, reconcilePass } from '../use-cases/reconcile-pass.ts';
import type { App } from '../wiring/app.ts';

/** How often the local stack reconciles: the deployed schedule's rate. */
export const DEV_RECONCILE_EVERY_MS = 5 * 60_000;
/** How often the local stack looks for scheduled sends whose time has come. */
export const DEV_SCHEDULE_EVERY_MS = 5_000;

/** One reconcile pass over the local stack, as the reconcile function makes one on AWS. */
export function reconcileOnce(app: App, observability: Observability): Promise<ReconcileRun> {
  return reconcilePass(app, (level, message, data) => observability.logger[level](message, data));
}

/**
 * Starts both timers; `stop()` clears them and waits for a pass in progress. A failed pass is reported
 * through `onError` and tried again on the next tick, as a failed scheduled invocation is on AWS.
 */
export function startDevTimers(
  app: App,
  observability: Observability,
  options: {
    readonly reconcileEveryMs?: number;
    readonly scheduleEveryMs?: number;
    readonly onError?: (what: string, error: unknown) => void;
  } = {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = (what: string, run: () => Promise<unknown>) => () => {
    running = running.then(run).catch((error: unknown) => options.onError?.(what, error));
  };
  const timers = [
    setInterval(
      tick('reconcile', () => reconcileOnce(app, observability)),
      options.reconcileEveryMs ?? DEV_RECONCILE_EVERY_MS,
    ),
    setInterval(
      tick('scheduled sends', () => app.scheduled.fireDue()),
      options.scheduleEveryMs ?? DEV_SCHEDULE_EVERY_MS,
    ),
  ];
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await running;
    },
  };
}
