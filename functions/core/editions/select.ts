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
  /** ISO 8601 publication date: orders posts and moves the digest cursor. */
  readonly date: string;
  readonly send: Post['send'];
  readonly draft: boolean;
}

/** Where the list's last digest of one cadence stopped. */
export interface DigestCursor {
  /** The newest post date the last digest carried. */
  readonly lastDigestAt: string;
  /** The posts it carried (a post sharing the boundary date is not sent twice). */
  readonly postIds: readonly string[];
}

/**
 * The posts a digest covers: every candidate dated after the cursor (all of them without a cursor),
 * except drafts, `send: never` posts and posts the last digest already carried; newest first, one per
 * post id. An empty result means the digest has nothing to send.
 */
export function selectDigestPosts<T extends DigestCandidate>(
  candidates: readonly T[],
  cursor?: DigestCursor,
): T[] {
  const carried = new Set(cursor?.postIds ?? []);
  const byId = new Map<string, T>();
  for (const c of candidates) {
    if (c.draft || c.send === 'never' || carried.has(c.id)) continue;
    if (cursor && c.date < cursor.lastDigestAt) continue;
    byId.set(c.id, c);
  }
  return [...byId.values()].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id),
  );
}

/** Where the cursor goes once a digest over `posts` is fully planned. */
export function nextDigestCursor(posts: readonly DigestCandidate[]): DigestCursor | undefined {
  if (posts.length === 0) return undefined;
  const lastDigestAt =
    posts
      .map((p) => p.date)
      .sort()
      .at(-1) ?? '';
  return { lastDigestAt, postIds: posts.filter((p) => p.date === lastDigestAt).map((p) => p.id) };
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
