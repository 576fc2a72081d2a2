import { createHmac, timingSafeEqual } from 'node:crypto';
import { reencode } from '../reencode.ts';

const VERSION = 't1';

/**
 * What a token lets its bearer do. A token for one purpose is refused for another. `manage` is the
 * preferences link that an unsubscribe page hands out: an unsubscribe link works forever and anyone who
 * ever saw the mail may hold it, so the page it opens can leave lists and change cadences, but a list it
 * adds goes to `pending` and needs a new confirmation by email. `task` seals a journey task the http
 * function hands to another invocation of itself (core/subscribers/journey-task.ts); it is never a link.
 */
export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm' | 'manage' | 'task';

/** One signing key. Several are kept so keys can rotate: new tokens use `current`, old ones still verify. */
export interface SigningKey {
  readonly id: string;
  /** At least 32 bytes of secret material. */
  readonly secret: Uint8Array;
}

export interface KeyRing {
  readonly current: SigningKey;
  readonly previous?: readonly SigningKey[];
  /**
   * Set by an adapter whose keys can change under a running process (Secrets Manager after a rotation):
   * fetches the keys again when a token names key `kid` that this ring does not know, and resolves to
   * whether it knows it now. Rate-limited by the adapter. Core never calls it; the HTTP routes do,
   * before verifying a link.
   */
  readonly reload?: (kid: string) => Promise<boolean>;
}

/** The key id a token names (`t1.<kid>.…`), or undefined for anything that is not a token's shape. */
export function keyIdOf(token: string): string | undefined {
  const parts = token.split('.');
  return parts.length === 4 && parts[0] === VERSION && parts[1] ? parts[1] : undefined;
}

/** Whether the ring holds key `kid` (current or previous). */
export function ringHasKey(ring: KeyRing, kid: string): boolean {
  return ring.current.id === kid || (ring.previous ?? []).some((k) => k.id === kid);
}

export interface TokenClaims {
  readonly purpose: TokenPurpose;
  /** Subscriber id (never the address). */
  readonly sub: string;
  /** List id; absent for tokens that concern every list. */
  readonly list?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export type TokenVerdict =
  | { readonly ok: true; readonly claims: TokenClaims }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'wrong-purpose';
    };

/**
 * Signs claims into a URL-safe token: `t1.<kid>.<payload>.<mac>`, base64url, HMAC-SHA256 over
 * `t1.<kid>.<payload>`. The node:crypto HMAC is pure computation (no I/O), so it belongs in core.
 *
 * @example
 * signToken({ purpose: 'unsubscribe', sub: 's_1', list: 'podcast', exp: 1_900_000_000 }, ring)
 */
export function signToken(claims: TokenClaims, ring: KeyRing): string {
  const payload = reencode(
    JSON.stringify([claims.purpose, claims.sub, claims.list ?? '', claims.exp]),
    'utf8',
    'base64url',
  );
  const head = `${VERSION}.${ring.current.id}.${payload}`;
  return `${head}.${mac(ring.current.secret, head)}`;
}

/**
 * Purposes whose genuine tokens are honoured past their `exp`: an unsubscribe link in old mail must keep
 * working (CAN-SPAM, Gmail and Yahoo expect unsubscribing to work whenever the reader asks). The signature,
 * key id and purpose are still checked; only the date is not.
 */
export const HONOURED_AFTER_EXPIRY: ReadonlySet<TokenPurpose> = new Set<TokenPurpose>(['unsubscribe']);

/**
 * Verifies a token: the key id must be known, the MAC must match (compared in constant time), its purpose
 * must be `purpose`, and it must not have expired at `nowSeconds` (except an `unsubscribe` token, see
 * HONOURED_AFTER_EXPIRY).
 */
export function verifyToken(
  token: string,
  ring: KeyRing,
  purpose: TokenPurpose,
  nowSeconds: number,
): TokenVerdict {
  if (typeof token !== 'string' || token.length > 1024) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [version, kid, payload, signature] = parts as [string, string, string, string];
  // One canonical encoding only: unpadded base64url whose last character carries no spare bits. Node's
  // decoder forgives padding, spaces, `+`/`/` and non-zero spare bits, so without this check many
  // strings would verify as the same token.
  if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const key = [ring.current, ...(ring.previous ?? [])].find((k) => k.id === kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const expected = Buffer.from(mac(key.secret, `${version}.${kid}.${payload}`), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) return { ok: false, reason: 'malformed' };
  const [p, sub, list, exp] = decoded as [unknown, unknown, unknown, unknown];
  if (
    typeof p !== 'string' ||
    typeof sub !== 'string' ||
    typeof list !== 'string' ||
    typeof exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (exp <= nowSeconds && !HONOURED_AFTER_EXPIRY.has(purpose)) return { ok: false, reason: 'expired' };
  const claims: TokenClaims = list
    ? { purpose: p as TokenPurpose, sub, list, exp }
    : { purpose: p as TokenPurpose, sub, exp };
  return { ok: true, claims };
}

/**
 * How long each kind of token lives. An `unsubscribe` token's `exp` is informational: verifyToken honours
 * it after that date too (HONOURED_AFTER_EXPIRY).
 */
export const TOKEN_TTL_SECONDS: Readonly<Record<TokenPurpose, number>> = {
  confirm: 7 * 24 * 3600,
  // Handed out by the unsubscribe page for use there and then.
  manage: 7 * 24 * 3600,
  unsubscribe: 365 * 24 * 3600,
  preferences: 365 * 24 * 3600,
  // Lambda keeps an asynchronous invoke's event for at most 6 hours, retries included.
  task: 6 * 3600,
};

function mac(secret: Uint8Array, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Whether `text` is the one encoding Node would produce for its bytes: base64url characters only, no
 * padding, and a decode-then-encode round trip that gives back the same string (which rules out spare
 * bits set in the last character).
 *
 * @example
 * isCanonicalBase64url('AQ') // true
 * isCanonicalBase64url('AR') // false: the same byte, with a spare bit set
 */
export function isCanonicalBase64url(text: string): boolean {
  return BASE64URL.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}
