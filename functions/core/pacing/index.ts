export { type BackoffPolicy, fullJitter, SEND_BACKOFF } from './backoff.ts';
export { SEND_DEADLINE_MARGIN_MS, SEND_FUNCTION_TIMEOUT_SECONDS, sendDeadline } from './deadline.ts';
export { acquireSlot, type PacerClock, SlotQueue } from './pacer.ts';
export { effectiveRate, RateLimiter } from './rate-limiter.ts';
