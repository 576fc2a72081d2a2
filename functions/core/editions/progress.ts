/** The four numbers that say where an edition stands. */
export interface OutcomeTotals {
  readonly planned: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * An edition is complete when planning is finished and every planned delivery has an outcome
 * (sent + failed + skipped = planned). While planning runs the planned count still grows, so equal
 * numbers then mean nothing.
 */
export function isEditionComplete(totals: OutcomeTotals, planningDone: boolean): boolean {
  return planningDone && totals.sent + totals.failed + totals.skipped >= totals.planned;
}
