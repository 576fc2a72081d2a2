import { describe, expect, it } from 'vitest';
import { decide, ipSubject, windowKeys } from '../../../../functions/core/rate-limit/index.ts';

const policy = { name: 'form-ip', limit: 10, windowSeconds: 600 };

describe('sliding-window rate limit', () => {
  it('lets the tenth request of a window through and stops the eleventh', () => {
    const keys = windowKeys(policy, 'ip:203.0.113.9', 1_800_000_000);
    expect(decide(policy, { current: 10, previous: 0 }, keys).allowed).toBe(true);
    const verdict = decide(policy, { current: 11, previous: 0 }, keys);
    expect(verdict.allowed).toBe(false);
    expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('still counts the previous window early in a new one, and forgets it as time passes', () => {
    const windowStart = 1_800_000_000; // a multiple of 600: the start of a window
    const early = windowKeys(policy, 'ip:a', windowStart + 60);
    const late = windowKeys(policy, 'ip:a', windowStart + 590);
    expect(decide(policy, { current: 2, previous: 10 }, early).allowed).toBe(false);
    expect(decide(policy, { current: 2, previous: 10 }, late).allowed).toBe(true);
  });

  it('keys windows by a hash, never the address in clear, and chains current to previous', () => {
    const a = windowKeys(policy, 'email:ada@example.com', 1_800_000_000);
    const b = windowKeys(policy, 'email:ada@example.com', 1_800_000_000 + 600);
    expect(a.current).not.toContain('ada');
    expect(b.previous).toBe(a.current);
    expect(a.expiresAt - 1_800_000_000).toBeLessThanOrEqual(1200);
  });

  it('gives one IPv6 /64 one bucket, and keeps IPv4 addresses apart', () => {
    expect(ipSubject('2001:db8:1:2:aaaa::1')).toBe(ipSubject('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(ipSubject('2001:db8:1:2::1')).not.toBe(ipSubject('2001:db8:1:3::1'));
    expect(ipSubject('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
    expect(ipSubject('203.0.113.9')).not.toBe(ipSubject('203.0.113.10'));
  });
});
