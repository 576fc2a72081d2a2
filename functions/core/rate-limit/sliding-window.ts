import { createHash } from 'node:crypto';

/**
 * A sliding-window rate limit, approximated from two fixed windows (the current one and the one before),
 * the way Cloudflare and nginx do: `estimate = previous × (1 − elapsed) + current`. Storage only needs an
 * atomic counter per window with a TTL, which DynamoDB gives with one UpdateItem.
 */
export interface RateLimitPolicy {
  /** Stable name, part of the storage key (e.g. 'subscribe-ip'). */
  readonly name: string;
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The two counters one check reads. */
export interface WindowKeys {
  /** Key of the current window's counter: increment this one. */
  readonly current: string;
  /** Key of the previous window's counter: read only. */
  readonly previous: string;
  /** Epoch seconds after which the current counter may be deleted (end of the next window). */
  readonly expiresAt: number;
  /** How far into the current window `now` is, 0 ≤ elapsed < 1. */
  readonly elapsed: number;
  /** Epoch seconds when the current window ends. */
  readonly windowEnd: number;
}

export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** Seconds to wait before a retry can succeed; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

/**
 * The counter keys for one subject (an IP address, an email address) under one policy. The subject is
 * hashed, so the counter table never holds an address in clear.
 *
 * @example
 * windowKeys({ name: 'subscribe-ip', limit: 10, windowSeconds: 3600 }, 'ip:203.0.113.9', 1_800_000_000)
 */
export function windowKeys(policy: RateLimitPolicy, subject: string, nowSeconds: number): WindowKeys {
  const hash = createHash('sha256').update(subject).digest('base64url').slice(0, 22);
  const index = Math.floor(nowSeconds / policy.windowSeconds);
  const start = index * policy.windowSeconds;
  return {
    current: `${policy.name}#${hash}#${index}`,
    previous: `${policy.name}#${hash}#${index - 1}`,
    expiresAt: start + 2 * policy.windowSeconds,
    elapsed: (nowSeconds - start) / policy.windowSeconds,
    windowEnd: start + policy.windowSeconds,
  };
}

/**
 * Decides from the counts after this request was counted in `current`.
 *
 * @example
 * decide(policy, { current: 3, previous: 20 }, keys) // allowed: false while the previous window still weighs
 */
export function decide(
  policy: RateLimitPolicy,
  counts: { readonly current: number; readonly previous: number },
  keys: Pick<WindowKeys, 'elapsed' | 'windowEnd'>,
): RateLimitVerdict {
  const estimate = counts.previous * (1 - keys.elapsed) + counts.current;
  if (estimate <= policy.limit) return { allowed: true, retryAfterSeconds: 0 };
  // Time until the previous window's weight has decayed enough, capped at the end of this window.
  const excess = estimate - policy.limit;
  const perSecond = counts.previous / policy.windowSeconds;
  const untilDecayed = perSecond > 0 ? Math.ceil(excess / perSecond) : Number.POSITIVE_INFINITY;
  const untilWindowEnd = Math.ceil((1 - keys.elapsed) * policy.windowSeconds);
  const retry = counts.current > policy.limit ? untilWindowEnd : Math.min(untilDecayed, untilWindowEnd);
  return { allowed: false, retryAfterSeconds: Math.max(1, retry) };
}

/**
 * The subject for a client address. IPv6 clients get a whole /64 each, because one host usually holds
 * the whole prefix and could otherwise rotate addresses to dodge the limit.
 */
export function ipSubject(ip: string): string {
  const bare = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  if (!bare.includes(':')) return `ip:${bare}`;
  return `ip6:${expandIpv6(bare).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - left.length - right.length);
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) =>
    g.toLowerCase().padStart(4, '0'),
  );
}
