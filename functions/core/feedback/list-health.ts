/**
 * When a list's own feedback says its reputation is at risk, tidings pauses that list before SES does:
 * SES reviews an account at a 5 % bounce rate or 0.1 % complaints, and Gmail wants complaints below 0.1 %.
 */
export const PAUSE_BOUNCE_RATE = 0.02;
export const PAUSE_COMPLAINT_RATE = 0.0008;
/** Rates are computed over this many days of SES events. */
export const HEALTH_WINDOW_DAYS = 7;
/**
 * Below this many sends in the window, rates are noise (one bounce among 20 sends is 5 %), so nothing
 * is paused. SES itself only judges rates on a "representative volume".
 */
export const HEALTH_MIN_SENT = 200;

export interface ListHealth {
  readonly sent: number;
  readonly bounceRate: number;
  readonly complaintRate: number;
  /** Set when the list should be paused. */
  readonly pause?: 'bounce-rate' | 'complaint-rate';
}

/**
 * A list's rates over the window and whether to pause it: bounce ≥ 2 % or complaint ≥ 0.08 %, once the
 * list has sent at least `HEALTH_MIN_SENT` messages in the window.
 *
 * @example
 * listHealth({ sent: 1000, bounced: 25, complained: 0 }) // { bounceRate: 0.025, pause: 'bounce-rate', … }
 */
export function listHealth(counts: { sent: number; bounced: number; complained: number }): ListHealth {
  const sent = Math.max(counts.sent, 0);
  const bounceRate = sent > 0 ? counts.bounced / sent : 0;
  const complaintRate = sent > 0 ? counts.complained / sent : 0;
  const base = { sent, bounceRate, complaintRate };
  if (sent < HEALTH_MIN_SENT) return base;
  if (complaintRate >= PAUSE_COMPLAINT_RATE) return { ...base, pause: 'complaint-rate' };
  if (bounceRate >= PAUSE_BOUNCE_RATE) return { ...base, pause: 'bounce-rate' };
  return base;
}

/** The UTC days (`YYYY-MM-DD`) of the health window ending at `now`, newest first. */
export function healthWindowDays(now: Date, days = HEALTH_WINDOW_DAYS): string[] {
  return Array.from({ length: days }, (_, i) =>
    new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10),
  );
}
