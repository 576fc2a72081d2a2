import { createHash } from 'node:crypto';
import type { Cadence } from '../config/schema.ts';
import type { EditionKind } from './model.ts';

/** A post as an edition sees it: its identity and its version (the content hash). */
export interface PostVersion {
  readonly id: string;
  readonly contentHash: string;
}

/** What an edition is made of. Two equal specs always give the same edition id. */
export interface EditionSpec {
  readonly listId: string;
  readonly kind: EditionKind;
  /** `instant` for a publish edition; `daily` or `weekly` for a digest. */
  readonly cadence: Cadence;
  readonly posts: readonly PostVersion[];
}

/**
 * The key of an edition without the post versions: the same list, kind, cadence and post ids give the
 * same key whatever the posts' content. It finds "this post was already sent, in some version".
 *
 * @example
 * editionKey({ listId: 'podcast', kind: 'publish', cadence: 'instant', posts: [{ id: 'ep-42', contentHash: 'a1' }] })
 * // 'podcast-instant-…' (12 hex digits)
 */
export function editionKey(spec: EditionSpec): string {
  const ids = spec.posts.map((p) => p.id).sort();
  return `${prefix(spec)}-${digest(['k1', spec.listId, spec.kind, spec.cadence, ...ids])}`;
}

/**
 * The edition id: derived from the list, the kind, the cadence and the post ids with their content
 * hashes, so publishing (or running a digest over) the same posts twice gives the same edition, and
 * the delivery ledger then sends nothing new. An edited post has a new hash and so a new id; whether
 * to send it again is the caller's decision (`--resend`).
 *
 * The order of `posts` does not matter. The id is URL- and DynamoDB-key-safe: `[a-z0-9-]`.
 *
 * @example
 * editionId({ listId: 'essays', kind: 'digest', cadence: 'weekly', posts }) // 'essays-weekly-3f9a1c2b7d4e'
 */
export function editionId(spec: EditionSpec): string {
  const versions = [...spec.posts].map((p) => `${p.id}@${p.contentHash}`).sort();
  return `${prefix(spec)}-${digest(['e1', spec.listId, spec.kind, spec.cadence, ...versions])}`;
}

/**
 * The delivery id: one edition to one subscriber, the unit of exactly-once. Deterministic, so a message
 * delivered twice by the queue claims the same delivery and the second claim loses. Only characters SES
 * allows in a message tag value (`[A-Za-z0-9_.@-]`), so it can travel as a tag.
 */
export function deliveryId(edition: string, subscriberId: string): string {
  return `${edition}_${subscriberId}`;
}

/**
 * The SES message tags every list email carries. SES returns them in every event (Send, Delivery,
 * Bounce, Complaint), which is how feedback finds the delivery, and how a claim left without a ledger
 * write is reconciled. The feedback rules read the same names.
 */
export const DELIVERY_TAG_NAMES = {
  list: 'list',
  edition: 'edition',
  subscriber: 'subscriber',
  delivery: 'delivery',
} as const;

/** The tags for one delivery. Values outside SES's tag alphabet are replaced by `_`. */
export function deliveryTags(key: {
  readonly listId: string;
  readonly editionId: string;
  readonly subscriberId: string;
}): Record<string, string> {
  const safe = (v: string) => v.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
  return {
    [DELIVERY_TAG_NAMES.list]: safe(key.listId),
    [DELIVERY_TAG_NAMES.edition]: safe(key.editionId),
    [DELIVERY_TAG_NAMES.subscriber]: safe(key.subscriberId),
    [DELIVERY_TAG_NAMES.delivery]: safe(deliveryId(key.editionId, key.subscriberId)),
  };
}

function prefix(spec: EditionSpec): string {
  return `${spec.listId}-${spec.cadence}`;
}

function digest(parts: readonly string[]): string {
  // JSON keeps the parts unambiguous ("a","bc" ≠ "ab","c").
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}
