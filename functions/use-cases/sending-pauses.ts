// What an operator does about a stopped list or edition: pause a list by hand, resume it (whatever paused
// it: the feedback rates or an operator), and resume an edition the sender's error budget paused. The
// batches of a paused list or edition wait on the queue (send-batch.ts), so a resume sends them.
import type { Config } from '../core/config/schema.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { EditionPause, SendingPause, SendingPauseStore } from '../ports/sending-pause-store.ts';

export interface SendingPausesDeps {
  readonly config: Config;
  readonly pauses: SendingPauseStore;
  readonly clock: Clock;
}

function knownList(config: Config, listId: string): void {
  if (!config.lists.some((l) => l.id === listId)) {
    throw new InvalidInputError(
      'LIST_UNKNOWN',
      `list ${listId}: no such list in the config (lists: ${config.lists.map((l) => l.id).join(', ')})`,
    );
  }
}

/** Pauses a list by hand. `paused: false` when it already was; `pause` is the one in force. */
export async function pauseList(
  deps: SendingPausesDeps,
  listId: string,
): Promise<{ readonly paused: boolean; readonly pause: SendingPause }> {
  knownList(deps.config, listId);
  const pause: SendingPause = { listId, reason: 'manual', at: deps.clock.now().toISOString() };
  if (await deps.pauses.pause(pause)) return { paused: true, pause };
  return { paused: false, pause: (await deps.pauses.get(listId)) ?? pause };
}

/** Lifts a list's pause; returns the lifted pause, or undefined when the list was not paused. */
export async function resumeList(deps: SendingPausesDeps, listId: string): Promise<SendingPause | undefined> {
  knownList(deps.config, listId);
  return deps.pauses.resume(listId);
}

/** Lifts an edition's pause (the error budget's); returns it, or undefined when it was not paused. */
export async function resumeEdition(
  deps: SendingPausesDeps,
  editionId: string,
): Promise<EditionPause | undefined> {
  return deps.pauses.resumeEdition(editionId);
}
