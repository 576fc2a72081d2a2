// The rate-limit subject for an email address: one inbox, one bucket, however the address is spelled.

/**
 * Mail providers whose addresses ignore dots in the local part (`a.da@gmail.com` is `ada@gmail.com`).
 * Other providers treat dots as significant, so they are kept there.
 */
const DOTS_IGNORED = new Set(['gmail.com', 'googlemail.com']);

/**
 * The subject under which the per-address limit counts an address: lower case, the `+tag` (and, at
 * Gmail, the dots) taken out of the local part. Nearly every provider delivers `name+tag@` to `name@`,
 * so counting the spellings apart let one inbox receive a confirmation per tag. Used only for counting:
 * the address stored and mailed is the one typed.
 *
 * @example
 * addressSubject('Ada.L+news@GMail.com') // 'email:adal@gmail.com'
 * addressSubject('ada+1@example.org')    // 'email:ada@example.org'
 */
export function addressSubject(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0) return `email:${lower}`;
  let domain = lower.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  let local = lower.slice(0, at);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTS_IGNORED.has(domain)) local = local.replaceAll('.', '') || local;
  return `email:${local}@${domain}`;
}
