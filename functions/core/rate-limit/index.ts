export { addressSubject } from './address-subject.ts';
export type { RateLimitPolicy, RateLimitVerdict, WindowKeys } from './sliding-window.ts';
export { decide, ipSubject, windowKeys } from './sliding-window.ts';
