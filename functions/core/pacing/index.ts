export { type BackoffPolicy, fullJitter, SEND_BACKOFF } from './backoff.ts';
export { acquireSlot, type PacerClock, SlotQueue } from './pacer.ts';
export { effectiveRate, RateLimiter } from './rate-limiter.ts';
