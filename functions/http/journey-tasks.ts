// What /subscribe and /resend do once the page has answered, for whichever runner the server has: in
// process now (tests, a Lambda without the hand-off), after the answer (`tidings dev`), or in another
// invocation of the http function (on AWS: HttpDeps.handOff, an asynchronous invoke of itself).
import { type JourneyTask, journeySealHolds, sealJourneyTask } from '../core/subscribers/journey-task.ts';
import { keyIdOf, ringHasKey } from '../core/tokens/tokens.ts';
import { resendLink } from '../use-cases/resend-link.ts';
import { describeFailure, subscribe } from '../use-cases/subscribe.ts';
import type { RouteContext } from './route-context.ts';

/** Runs one journey task. Failures are logged, never thrown: the answer was the same either way. */
export async function runJourneyTask(ctx: RouteContext, task: JourneyTask): Promise<void> {
  const { deps, log } = ctx;
  try {
    if (task.kind === 'subscribe') {
      const { kind: _, ...input } = task;
      const result = await subscribe(deps, input);
      // Same answer as a success: the pending record is written; a resubmit or /resend sends it again.
      if (result.outcome === 'accepted' && result.confirmation === 'failed') {
        log('error', 'confirmation-send-failed', { route: 'subscribe', failure: result.failure });
      }
      return;
    }
    await resendLink(deps, { email: task.email });
  } catch (error) {
    // The same answer as for an unknown address: a 500 here would tell that this one is known.
    log('error', 'confirmation-send-failed', { route: task.kind, failure: describeFailure(error) });
  }
}

/**
 * Runs `task` where the deps say: handed off (awaited: the hand-off itself costs the same for every
 * address), after the answer, or now. A hand-off that fails is logged and the task runs here, so the
 * reader still gets their email.
 */
export async function runAfterAnswer(ctx: RouteContext, task: JourneyTask): Promise<void> {
  const { deps, log } = ctx;
  if (deps.handOff) {
    try {
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      await deps.handOff(task, sealJourneyTask(task, deps.keys, now));
      return;
    } catch (error) {
      log('error', 'journey-handoff-failed', { route: task.kind, failure: describeFailure(error) });
    }
  }
  if (deps.later) deps.later(() => runJourneyTask(ctx, task));
  else await runJourneyTask(ctx, task);
}

/**
 * Runs a task handed over by an invoke event, if its seal holds (a task this http function handed off,
 * unchanged, within 6 hours); anything else is logged and dropped: an invoke says nothing of who made it.
 */
export async function runHandedTask(ctx: RouteContext, task: JourneyTask, seal: unknown): Promise<void> {
  const { deps, log } = ctx;
  if (deps.keys.reload && typeof seal === 'string') {
    // A seal made by a container that loaded a rotated key first.
    const kid = keyIdOf(seal);
    if (kid && !ringHasKey(deps.keys, kid)) await deps.keys.reload(kid);
  }
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  if (!journeySealHolds(task, seal, deps.keys, now)) {
    log('warn', 'journey-task-refused', { route: task.kind, reason: 'no valid seal' });
    return;
  }
  await runJourneyTask(ctx, task);
}
