import type { WaveRelease } from '../core/schedule/model.ts';

/**
 * Hands an edition to the plan function (render once, fan out to the send queue) without waiting for it.
 * The plan function resumes at the edition's checkpoint, so a handoff delivered twice plans once.
 */
export interface PlanTrigger {
  /**
   * Resolves once the handoff is accepted; rejects when it was not (the caller's trigger retries). With
   * `wave`: the edition is planned already, and the plan function puts that wave's held readers on the
   * queue (use-cases/plan-waves.ts releaseWave).
   */
  start(editionId: string, options?: { readonly wave?: WaveRelease }): Promise<void>;
}
