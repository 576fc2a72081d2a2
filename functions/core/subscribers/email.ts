import { domainToASCII } from 'node:url';

/** Why an address was refused; stable codes, shown in import reports. */
export type EmailProblem = 'empty' | 'missing-at' | 'bad-local-part' | 'bad-domain' | 'too-long';

export type EmailVerdict =
  | { readonly ok: true; readonly email: string }
  | { readonly ok: false; readonly problem: EmailProblem; readonly message: string };

// RFC 5321/5322 dot-atom local part, without quoted strings and comments: real lists don't use
// them, and SES refuses many of them anyway.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Normalizes and validates an email address: trims it, strips a `mailto:` prefix and angle brackets,
 * lowercases the domain (IDN domains become punycode), and keeps the local part as written (it is
 * case-sensitive in principle; providers treat it as they like).
 *
 * @example
 * checkEmail('  Ada@Example.COM ') // { ok: true, email: 'Ada@example.com' }
 * checkEmail('ada@@example.com')   // { ok: false, problem: 'bad-local-part', … }
 */
export function checkEmail(input: string): EmailVerdict {
  let s = (input ?? '').trim();
  if (/^mailto:/i.test(s)) s = s.slice(7);
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s === '') return refuse('empty', 'the address is empty');
  const at = s.lastIndexOf('@');
  if (at < 0) return refuse('missing-at', `"${input}" has no @`);
  const local = s.slice(0, at);
  const rawDomain = s.slice(at + 1);
  if (local === '' || local.length > 64 || !LOCAL_PART.test(local)) {
    return refuse('bad-local-part', `"${input}" has an invalid part before the @`);
  }
  const domain = domainToASCII(rawDomain.toLowerCase().replace(/\.$/, ''));
  const labels = domain.split('.');
  if (
    domain === '' ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    !TLD.test(labels[labels.length - 1] ?? '')
  ) {
    return refuse('bad-domain', `"${input}" has an invalid domain`);
  }
  const email = `${local}@${domain}`;
  if (email.length > 254) return refuse('too-long', `"${input}" is longer than 254 characters`);
  return { ok: true, email };
}

/**
 * The normalized address, or undefined when it is not valid.
 *
 * @example
 * normalizeEmail(' Bob@EXAMPLE.org') // 'Bob@example.org'
 */
export function normalizeEmail(input: string): string | undefined {
  const v = checkEmail(input);
  return v.ok ? v.email : undefined;
}

/**
 * The key under which an address is stored and compared: the normalized address with the local part
 * lowercased too, so `Ada@x.com` and `ada@x.com` are one subscriber (what every major provider does).
 *
 * @example
 * emailKey('Ada@Example.com') // 'ada@example.com'
 */
export function emailKey(normalized: string): string {
  return normalized.toLowerCase();
}

function refuse(problem: EmailProblem, message: string): EmailVerdict {
  return { ok: false, problem, message };
}
