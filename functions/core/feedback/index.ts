export type { ListHealth } from './list-health.ts';
export {
  HEALTH_MIN_SENT,
  HEALTH_WINDOW_DAYS,
  healthWindowDays,
  listHealth,
  PAUSE_BOUNCE_RATE,
  PAUSE_COMPLAINT_RATE,
} from './list-health.ts';
export type { FeedbackAction, FeedbackTagNames } from './rules.ts';
export {
  feedbackActions,
  TRANSIENT_BOUNCE_LIMIT,
  TRANSIENT_BOUNCE_WINDOW_DAYS,
  transientBounceVerdict,
} from './rules.ts';
export type { SesEvent } from './ses-event.ts';
export { parseSesEvent, sesEventsFrom } from './ses-event.ts';
