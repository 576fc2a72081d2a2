import type { EditionPause, SendingPause, SendingPauseStore } from '../../ports/sending-pause-store.ts';
import { copy } from './memory-common.ts';

/** Sending pauses in memory: the first pause of a list is kept until it is resumed. */
export class MemorySendingPauseStore implements SendingPauseStore {
  readonly #pauses = new Map<string, SendingPause>();
  readonly #editions = new Map<string, EditionPause>();

  async get(listId: string): Promise<SendingPause | undefined> {
    const p = this.#pauses.get(listId);
    return p ? copy(p) : undefined;
  }

  async pause(pause: SendingPause): Promise<boolean> {
    if (this.#pauses.has(pause.listId)) return false;
    this.#pauses.set(pause.listId, copy(pause));
    return true;
  }

  async resume(listId: string): Promise<SendingPause | undefined> {
    const p = this.#pauses.get(listId);
    this.#pauses.delete(listId);
    return p;
  }

  async getEdition(editionId: string): Promise<EditionPause | undefined> {
    const p = this.#editions.get(editionId);
    return p ? copy(p) : undefined;
  }

  async pauseEdition(pause: EditionPause): Promise<boolean> {
    if (this.#editions.has(pause.editionId)) return false;
    this.#editions.set(pause.editionId, copy(pause));
    return true;
  }

  async resumeEdition(editionId: string): Promise<EditionPause | undefined> {
    const p = this.#editions.get(editionId);
    this.#editions.delete(editionId);
    return p;
  }
}
