import type { ScheduledSend, WaveBatch } from '../../core/schedule/model.ts';
import type { ScheduleStore } from '../../ports/schedule-store.ts';

/** Scheduled sends in memory (copies in and out, as a database would). */
export class MemoryScheduleStore implements ScheduleStore {
  readonly #sends = new Map<string, ScheduledSend>();
  readonly #held = new Map<string, WaveBatch>();

  async put(send: Omit<ScheduledSend, 'state'>): Promise<'created' | 'replaced' | 'started'> {
    const before = this.#sends.get(send.id);
    if (before?.state === 'firing') return 'started';
    this.#sends.set(send.id, structuredClone({ ...send, state: 'waiting' }));
    return before ? 'replaced' : 'created';
  }

  async get(id: string): Promise<ScheduledSend | undefined> {
    const send = this.#sends.get(id);
    return send ? structuredClone(send) : undefined;
  }

  async list(): Promise<ScheduledSend[]> {
    return [...this.#sends.values()]
      .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1))
      .map((s) => structuredClone(s));
  }

  async start(id: string): Promise<ScheduledSend | undefined> {
    const send = this.#sends.get(id);
    if (!send) return undefined;
    const firing: ScheduledSend = { ...send, state: 'firing' };
    this.#sends.set(id, firing);
    return structuredClone(firing);
  }

  async cancel(id: string): Promise<'cancelled' | 'started' | 'not-found'> {
    const send = this.#sends.get(id);
    if (!send) return 'not-found';
    if (send.state === 'firing') return 'started';
    this.#sends.delete(id);
    return 'cancelled';
  }

  async done(id: string): Promise<void> {
    this.#sends.delete(id);
  }

  async holdBatches(waveId: string, batches: readonly WaveBatch[]): Promise<void> {
    for (const b of batches) this.#held.set(`${waveId}\u0000${b.batchNo}`, structuredClone(b));
  }

  async heldBatches(waveId: string, batchNos: readonly number[]): Promise<WaveBatch[]> {
    return [...new Set(batchNos)]
      .sort((a, b) => a - b)
      .flatMap((n) => {
        const b = this.#held.get(`${waveId}\u0000${n}`);
        return b ? [structuredClone(b)] : [];
      });
  }
}
