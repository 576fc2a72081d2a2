// What `tidings dev` runs on a timer, as the deployed stack's schedules do: the reconcile pass and the sends
// whose time has come (every few seconds here: on AWS each has its own one-time schedule, with the
// reconcile pass as the backstop).

import type { Observability } from '../handlers/observability.ts';
import { type ReconcileRun, reconcilePass } from '../use-cases/reconcile-pass.ts';
import type { App } from '../wiring/app.ts';

/** How often the local stack reconciles. */
export const DEV_RECONCILE_EVERY_MS = 30_000;
/**
 * How old a claim must be before the local stack reconciles it. On AWS the window is 15 minutes because
 * SES's Send events reach the ledger late, through EventBridge. The local SES emulator writes what it
 * accepted to its record before it answers, so locally the window only has to outlast a request still in
 * flight: the SES transport gives up after 30 s. A reader whose send ended "outcome unknown" (a timeout on
 * a loaded machine) is confirmed from that record, or sent again, within 2.5 minutes instead of 20.
 */
export const DEV_RECONCILE_WINDOW_MS = 2 * 60_000;
/** How often the local stack looks for scheduled sends whose time has come. */
export const DEV_SCHEDULE_EVERY_MS = 5_000;

/** One reconcile pass over the local stack, as the reconcile function makes one on AWS. */
export function reconcileOnce(
  app: App,
  observability: Observability,
  windowMs = DEV_RECONCILE_WINDOW_MS,
): Promise<ReconcileRun> {
  return reconcilePass(
    { ...app, reconcile: (editionId) => app.reconcile(editionId, { windowMs }) },
    (level, message, data) => observability.logger[level](message, data),
  );
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
