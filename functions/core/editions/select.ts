import type { Cadence, ListConfig } from '../config/schema.ts';
import { InvalidInputError } from '../errors.ts';
import type { Post } from '../posts/post.ts';
import type { EditionSpec } from './edition-id.ts';

/** What publishing one post means for one list. */
export type PublishDecision =
  | { readonly listId: string; readonly action: 'send'; readonly spec: EditionSpec }
  | { readonly listId: string; readonly action: 'digest-only'; readonly reason: string }
  | { readonly listId: string; readonly action: 'skip'; readonly reason: string };

/**
 * Decides, list by list, what publishing `post` does:
 * - a draft or a post with `send: never` goes nowhere (`skip`, with the reason);
 * - a post with `send: digest` only joins the next digests of its lists (`digest-only`);
 * - otherwise each list the post targets (`post.lists`, or every list) gets a `publish` edition for its
 *   `instant` subscribers, and the post also joins the list's digests for everyone else.
 *
 * `only` narrows to one list (the CLI's `--list`); a post that does not target it is an input error.
 *
 * @example
 * decidePublish(post, config.lists) // [{ listId: 'podcast', action: 'send', spec: {…} }, …]
 */
export function decidePublish(
  post: Post,
  lists: readonly Pick<ListConfig, 'id'>[],
  only?: string,
): PublishDecision[] {
  const known = new Set(lists.map((l) => l.id));
  if (only !== undefined && !known.has(only)) {
    throw new InvalidInputError(
      'LIST_UNKNOWN',
      `--list ${only}: no such list in the config; known lists: ${[...known].join(', ')}`,
    );
  }
  const targets = post.lists ?? lists.map((l) => l.id);
  if (only !== undefined && !targets.includes(only)) {
    throw new InvalidInputError(
      'POST_NOT_FOR_LIST',
      `post "${post.id}" does not target list "${only}" (its front matter lists: ${targets.join(', ')}); add it to "lists" or pick another --list`,
    );
  }
  const chosen = only === undefined ? targets : [only];
  return chosen.map((listId): PublishDecision => {
    if (!known.has(listId)) return { listId, action: 'skip', reason: `unknown list "${listId}"` };
    if (post.draft) return { listId, action: 'skip', reason: 'draft' };
    if (post.send === 'never') return { listId, action: 'skip', reason: 'send: never' };
    if (post.send === 'digest') return { listId, action: 'digest-only', reason: 'send: digest' };
    return {
      listId,
      action: 'send',
      spec: {
        listId,
        kind: 'publish',
        cadence: 'instant',
        posts: [{ id: post.id, contentHash: post.contentHash }],
      },
    };
  });
}

/** A post as a digest sees it. */
export interface DigestCandidate {
  readonly id: string;
  readonly contentHash: string;
  /** ISO 8601 publication date, as the author gave it: orders the posts inside a digest, nothing more. */
  readonly date: string;
  /** ISO 8601: when tidings first stored the post for this list. Only this moves the digest cursor. */
  readonly recordedAt: string;
  readonly send: Post['send'];
  readonly draft: boolean;
}

/**
 * How far back each digest looks before its cursor, in ms. A post becomes visible to the digest's query a
 * little after it is recorded (index propagation, writers' clocks); one recorded up to this long before
 * the newest post a digest carried still reaches the next digest, and the cursor remembers every post it
 * carried within this window so none goes out twice.
 */
export const DIGEST_LOOKBACK_MS = 10 * 60 * 1000;

/** Where the list's last digest of one cadence stopped. */
export interface DigestCursor {
  /** The newest recordedAt among the posts the digests carried so far. */
  readonly lastDigestAt: string;
  /** The posts carried that were recorded within DIGEST_LOOKBACK_MS before lastDigestAt. */
  readonly postIds: readonly string[];
}

/**
 * Where a digest's query starts: DIGEST_LOOKBACK_MS before the cursor (everything without a cursor).
 *
 * @example
 * digestQueryFrom({ lastDigestAt: '2026-11-10T00:10:00.000Z', postIds: [] }) // '2026-11-10T00:00:00.000Z'
 */
export function digestQueryFrom(cursor: DigestCursor | undefined): string | undefined {
  if (!cursor) return undefined;
  const t = Date.parse(cursor.lastDigestAt);
  return Number.isNaN(t) ? cursor.lastDigestAt : new Date(t - DIGEST_LOOKBACK_MS).toISOString();
}

/**
 * The posts a digest covers: every candidate recorded since the cursor's window began (all of them
 * without a cursor), except drafts, `send: never` posts and posts a digest already carried; newest first
 * by the author's date, one per post id. The author's date never excludes a post: a backdated post, one
 * dated like an earlier one or one with no date still goes out once. An empty result means the digest has
 * nothing to send.
 */
export function selectDigestPosts<T extends DigestCandidate>(
  candidates: readonly T[],
  cursor?: DigestCursor,
): T[] {
  const carried = new Set(cursor?.postIds ?? []);
  const from = digestQueryFrom(cursor);
  const byId = new Map<string, T>();
  for (const c of candidates) {
    if (c.draft || c.send === 'never' || carried.has(c.id)) continue;
    if (from !== undefined && c.recordedAt < from) continue;
    byId.set(c.id, c);
  }
  return [...byId.values()].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id),
  );
}

/**
 * Where the cursor goes once a digest over `selected` is fully planned: the newest recordedAt carried so
 * far, and every carried post (these and the cursor's, as seen among `candidates`) recorded within
 * DIGEST_LOOKBACK_MS before it.
 */
export function nextDigestCursor(
  selected: readonly DigestCandidate[],
  previous?: DigestCursor,
  candidates: readonly DigestCandidate[] = selected,
): DigestCursor | undefined {
  if (selected.length === 0) return undefined;
  const lastDigestAt =
    [previous?.lastDigestAt ?? '', ...selected.map((p) => p.recordedAt)].sort().at(-1) ?? '';
  const from = digestQueryFrom({ lastDigestAt, postIds: [] }) ?? lastDigestAt;
  const carried = new Set([...(previous?.postIds ?? []), ...selected.map((p) => p.id)]);
  const postIds = new Set<string>();
  for (const p of [...candidates, ...selected]) {
    if (carried.has(p.id) && p.recordedAt >= from) postIds.add(p.id);
  }
  return { lastDigestAt, postIds: [...postIds].sort() };
}

/** The digest edition for a list and cadence over the selected posts. */
export function digestSpec(
  listId: string,
  cadence: Exclude<Cadence, 'instant'>,
  posts: readonly Pick<DigestCandidate, 'id' | 'contentHash'>[],
): EditionSpec {
  return {
    listId,
    kind: 'digest',
    cadence,
    posts: posts.map((p) => ({ id: p.id, contentHash: p.contentHash })),
  };
}
