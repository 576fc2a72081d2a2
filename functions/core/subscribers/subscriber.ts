import { InvalidInputError } from '../errors.ts';
import type { ListStatus, Membership, MembershipPatch, Subscriber } from './model.ts';

/**
 * A new opaque subscriber id: `s_` and 26 base32 characters (128 bits) from the injected random
 * source. Tokens carry it instead of the address; it is safe in URLs and SES message tags.
 *
 * @example
 * newSubscriberId((n) => crypto.getRandomValues(new Uint8Array(n))) // 's_k3v0…'
 */
export function newSubscriberId(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(16);
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return `s_${out}`;
}

/** The result of merging what is known with what arrived. */
export interface MergeResult {
  readonly subscriber: Subscriber;
  /** False when the merge changed nothing: write nothing, keep updatedAt. */
  readonly changed: boolean;
  /** List ids whose membership changed (or all lists, when email or name changed: they are copied there). */
  readonly changedLists: readonly string[];
}

/**
 * Merges an incoming subscriber into the stored one without dropping data:
 * - the stored id, email key and createdAt win; a new name (or time zone) replaces the old, a missing one
 *   keeps it;
 * - attributes merge key by key (incoming values win);
 * - memberships merge list by list; incoming fields win, except that stored consent evidence is kept
 *   and an `unsubscribed` membership is never turned back into `pending`/`subscribed` by a merge: resubscribing is an explicit act
 *   (SubscriberStore.setMembership), never a side effect of an import or a repeated form post;
 * - when nothing differs, the stored subscriber comes back untouched (`changed: false`).
 *
 * @example
 * mergeSubscriber(stored, { ...incoming, lists: { essays: { status: 'subscribed', … } } })
 */
export function mergeSubscriber(stored: Subscriber | undefined, incoming: Subscriber): MergeResult {
  if (!stored) return { subscriber: incoming, changed: true, changedLists: Object.keys(incoming.lists) };
  const name = incoming.name ?? stored.name;
  const timeZone = incoming.timeZone ?? stored.timeZone;
  const attributes = { ...stored.attributes, ...incoming.attributes };
  const lists: Record<string, Membership> = { ...stored.lists };
  const changedLists = new Set<string>();
  for (const [listId, next] of Object.entries(incoming.lists)) {
    const before = stored.lists[listId];
    const merged = mergeMembership(before, next);
    if (!before || !sameMembership(before, merged)) {
      lists[listId] = merged;
      changedLists.add(listId);
    }
  }
  const profileChanged =
    name !== stored.name ||
    timeZone !== stored.timeZone ||
    !sameRecord(attributes, stored.attributes) ||
    incoming.email !== stored.email;
  if (!profileChanged && changedLists.size === 0) {
    return { subscriber: stored, changed: false, changedLists: [] };
  }
  // Email, name and time zone are copied onto every membership item, so a change there touches every list.
  if (name !== stored.name || timeZone !== stored.timeZone || incoming.email !== stored.email) {
    for (const id of Object.keys(lists)) changedLists.add(id);
  }
  const subscriber: Subscriber = {
    id: stored.id,
    email: incoming.email,
    ...(name !== undefined ? { name } : {}),
    ...(timeZone !== undefined ? { timeZone } : {}),
    attributes,
    lists,
    createdAt: stored.createdAt,
    updatedAt: incoming.updatedAt,
  };
  return { subscriber, changed: true, changedLists: [...changedLists] };
}

function mergeMembership(before: Membership | undefined, next: Membership): Membership {
  if (!before) return next;
  if (before.status === 'unsubscribed' && next.status !== 'unsubscribed') {
    // Keep the opt-out as it is: only the subscriber can undo it.
    return before;
  }
  // Consent evidence records when and how someone first agreed: a later file (another export of
  // the same audience) does not rewrite it.
  const merged: Membership = {
    ...before,
    ...next,
    ...(before.consent ? { consent: before.consent } : {}),
    // Likewise an opt-out keeps its first time and reason when a later file repeats it.
    ...(before.status === 'unsubscribed' && before.unsubscribedAt
      ? { unsubscribedAt: before.unsubscribedAt }
      : {}),
    ...(before.status === 'unsubscribed' && before.unsubscribeReason
      ? { unsubscribeReason: before.unsubscribeReason }
      : {}),
  };
  // If nothing but updatedAt differs, keep the stored record (and its time).
  return sameMembership(before, merged) ? before : merged;
}

/** Equal apart from `updatedAt`. */
export function sameMembership(a: Membership, b: Membership): boolean {
  const { updatedAt: _a, ...ra } = a;
  const { updatedAt: _b, ...rb } = b;
  return stableJson(ra) === stableJson(rb);
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}

/**
 * The membership of `listId` after `patch`, the one rule both subscriber stores apply: a patch may leave out
 * the status or cadence of an existing membership, and coming back (any status but unsubscribed) clears the old
 * opt-out details unless the patch sets them again. `undefined` when nothing but `updatedAt` would change.
 *
 * @throws InvalidInputError MEMBERSHIP_INCOMPLETE when the subscriber is not on the list and the patch lacks
 *   a status or a cadence.
 * @example
 * patchMembership('s_1', 'weekly', { status: 'subscribed', cadence: 'weekly', updatedAt: t0 },
 *   { status: 'unsubscribed', unsubscribedAt: t1, updatedAt: t1 })
 * // { status: 'unsubscribed', cadence: 'weekly', unsubscribedAt: t1, updatedAt: t1 }
 */
export function patchMembership(
  subscriberId: string,
  listId: string,
  before: Membership | undefined,
  patch: MembershipPatch,
): Membership | undefined {
  const status: ListStatus | undefined = patch.status ?? before?.status;
  const cadence = patch.cadence ?? before?.cadence;
  if (!status || !cadence) {
    throw new InvalidInputError(
      'MEMBERSHIP_INCOMPLETE',
      `subscriber ${subscriberId} is not on list ${listId}: give both a status and a cadence to add it`,
    );
  }
  const base: Membership = before ?? { status, cadence, updatedAt: patch.updatedAt };
  const { unsubscribedAt: _a, unsubscribeReason: _r, ...kept } = base;
  const next: Membership = {
    ...(status === 'unsubscribed' ? base : kept),
    status,
    cadence,
    updatedAt: patch.updatedAt,
    ...(patch.consent ? { consent: structuredClone(patch.consent) } : {}),
    ...(patch.unsubscribedAt ? { unsubscribedAt: patch.unsubscribedAt } : {}),
    ...(patch.unsubscribeReason ? { unsubscribeReason: patch.unsubscribeReason } : {}),
  };
  return before && sameMembership(before, next) ? undefined : next;
}
