import { addressSubject } from '../core/rate-limit/address-subject.ts';
import { decide, ipSubject, type RateLimitPolicy, windowKeys } from '../core/rate-limit/sliding-window.ts';
import type { RateLimitStore } from '../ports/rate-limit-store.ts';

/**
 * The limits on the two routes that send email to an address typed by a stranger (subscribe, resend).
 * Token routes are not limited: their tokens cannot be forged, and mail providers send one-click POSTs
 * from a few shared addresses, which a per-IP limit would wrongly refuse.
 */
export interface HttpRateLimits {
  /** Per client IP (IPv6: per /64). @default 10 per 10 minutes */
  readonly perIp: RateLimitPolicy;
  /** Per email address: at most this many confirmation emails. @default 3 per hour */
  readonly perAddress: RateLimitPolicy;
}

export const DEFAULT_RATE_LIMITS: HttpRateLimits = {
  perIp: { name: 'form-ip', limit: 10, windowSeconds: 600 },
  perAddress: { name: 'form-address', limit: 3, windowSeconds: 3600 },
};

/** Counts one request of `subject` under `policy` and says whether it may go on. */
export async function checkLimit(
  store: RateLimitStore,
  policy: RateLimitPolicy,
  subject: string,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const keys = windowKeys(policy, subject, Math.floor(now.getTime() / 1000));
  const counts = await store.hit(keys.current, keys.previous, keys.expiresAt);
  return decide(policy, counts, keys);
}

export { addressSubject, ipSubject };
