import type { ScheduledSend, WaveBatch } from '../core/schedule/model.ts';

/** The posts waiting for their time. */
export interface ScheduleStore {
  /**
   * Schedules a post, or replaces its waiting send (an edit, a new time). A send that is already firing is
   * left alone: 'started'.
   */
  put(send: Omit<ScheduledSend, 'state'>): Promise<'created' | 'replaced' | 'started'>;
  get(id: string): Promise<ScheduledSend | undefined>;
  /** Every waiting or firing send, soonest first. */
  list(): Promise<ScheduledSend[]>;
  /**
   * Marks a send as firing and returns it; a send already firing (a retry after a crash) is returned too.
   * `undefined` when it was cancelled or is done.
   */
  start(id: string): Promise<ScheduledSend | undefined>;
  /** Removes a waiting send. One that is firing cannot be cancelled any more: 'started'. */
  cancel(id: string): Promise<'cancelled' | 'started' | 'not-found'>;
  /** Removes a send once its publish went through. */
  done(id: string): Promise<void>;
  /**
   * Keeps the readers of wave `waveId` until it fires. Writing the same batch again overwrites it (a
   * planning retried after a crash).
   */
  holdBatches(waveId: string, batches: readonly WaveBatch[]): Promise<void>;
  /** The batches held for a wave, by number, in order of number; numbers never held are absent. */
  heldBatches(waveId: string, batchNos: readonly number[]): Promise<WaveBatch[]>;
}
