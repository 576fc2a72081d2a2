/**
 * Hands an edition to the plan function (render once, fan out to the send queue) without waiting for it.
 * The plan function resumes at the edition's checkpoint, so a handoff delivered twice plans once.
 */
export interface PlanTrigger {
  /** Resolves once the handoff is accepted; rejects when it was not (the caller's trigger retries). */
  start(editionId: string): Promise<void>;
}
