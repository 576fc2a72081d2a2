import { describe, expect, it } from 'vitest';
import { type KeyRing, signToken, verifyToken } from '../../../../functions/core/tokens/tokens.ts';

const key = (id: string, fill: number) => ({ id, secret: new Uint8Array(32).fill(fill) });
const ring: KeyRing = { current: key('k2', 2), previous: [key('k1', 1)] };
const now = 1_800_000_000;

describe('signToken / verifyToken', () => {
  it('round-trips the claims of a valid token', () => {
    const token = signToken({ purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 }, ring);
    expect(token).toMatch(/^t1\.k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyToken(token, ring, 'unsubscribe', now)).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 },
    });
  });

  it('still accepts a token signed with a previous key after rotation', () => {
    const old = signToken({ purpose: 'preferences', sub: 's_1', exp: now + 60 }, { current: key('k1', 1) });
    expect(verifyToken(old, ring, 'preferences', now).ok).toBe(true);
  });

  it('rejects tampered payloads, forged signatures, unknown keys, expiry and the wrong purpose', () => {
    const token = signToken({ purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 }, ring);
    const [v, kid, payload, sig] = token.split('.') as [string, string, string, string];
    const otherPayload = Buffer.from(JSON.stringify(['unsubscribe', 's_2', 'podcast', now + 60])).toString(
      'base64url',
    );
    expect(verifyToken(`${v}.${kid}.${otherPayload}.${sig}`, ring, 'unsubscribe', now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyToken(`${v}.k9.${payload}.${sig}`, ring, 'unsubscribe', now)).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    const prefs = signToken({ purpose: 'preferences', sub: 's_1', exp: now + 60 }, ring);
    expect(verifyToken(prefs, ring, 'preferences', now + 61)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(token, ring, 'confirm', now)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifyToken('garbage', ring, 'confirm', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(`${token}x`, ring, 'unsubscribe', now).ok).toBe(false);
  });

  it('keeps honouring a genuine unsubscribe link after its expiry (old mail must still unsubscribe)', () => {
    // Prepare: a link mailed 2 years ago, with a 365-day expiry.
    const token = signToken({ purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 }, ring);
    const later = now + 2 * 365 * 86_400;
    // Act
    const verdict = verifyToken(token, ring, 'unsubscribe', later);
    // Assess
    expect(verdict).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 },
    });
    const [v, kid, payload] = token.split('.') as [string, string, string];
    expect(verifyToken(`${v}.${kid}.${payload}.${'A'.repeat(43)}`, ring, 'unsubscribe', later)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyToken(token, ring, 'preferences', later)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('keeps confirm (7 days) and preferences links strict about expiry', () => {
    const confirm = signToken({ purpose: 'confirm', sub: 's_1', list: 'podcast', exp: now + 60 }, ring);
    const prefs = signToken({ purpose: 'preferences', sub: 's_1', exp: now + 60 }, ring);
    expect(verifyToken(confirm, ring, 'confirm', now + 59).ok).toBe(true);
    expect(verifyToken(confirm, ring, 'confirm', now + 60)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(prefs, ring, 'preferences', now + 61)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts only the canonical encoding: 8 altered spellings of a genuine token are all refused', () => {
    // Prepare: a genuine token, and spellings that Node's lenient base64url decoder reads as the same bytes.
    const token = signToken({ purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: now + 60 }, ring);
    const [v, kid, payload, sig] = token.split('.') as [string, string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The same bytes with a spare bit of the last character set (a 32-byte MAC leaves 2 spare bits).
    const spare = (text: string) => text.slice(0, -1) + alphabet[alphabet.indexOf(text.slice(-1)) ^ 1];
    const payloadSpare = payload.length % 4 === 0 ? undefined : spare(payload);
    const altered = [
      `${v}.${kid}.${payload}.${sig}=`,
      `${v}.${kid}.${payload}=.${sig}`,
      `${v}.${kid}.${payload}.${sig.slice(0, 10)} ${sig.slice(10)}`,
      `${v}.${kid}.${payload}.${sig} `,
      `${v}.${kid}.${payload}.${spare(sig)}`,
      `${v}.${kid}.${payloadSpare ?? `${payload}==`}.${sig}`,
      `${v}.${kid}.${payload.replaceAll('-', '+').replaceAll('_', '/')}.${sig.replaceAll('-', '+').replaceAll('_', '/')}+/`,
      `${v}.${kid}.${payload}.${sig}\n`,
    ];
    // Each really is another string that the decoder maps onto the genuine bytes.
    for (const a of altered) expect(a).not.toBe(token);
    expect(Buffer.from(spare(sig), 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    // Act
    const verdicts = altered.map((a) => verifyToken(a, ring, 'unsubscribe', now));
    // Assess
    expect(verdicts).toEqual(altered.map(() => ({ ok: false, reason: 'malformed' })));
    expect(verifyToken(token, ring, 'unsubscribe', now).ok).toBe(true);
  });
});
