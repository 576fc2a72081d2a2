import type { Config } from '../core/config/schema.ts';
import { editionId } from '../core/editions/edition-id.ts';
import { decidePublish } from '../core/editions/select.ts';
import type { Post } from '../core/posts/post.ts';
import type { Clock } from '../ports/clock.ts';
import type { Edition, EditionStore } from '../ports/edition-store.ts';
import type { PostStore } from '../ports/post-store.ts';
import type { PlanResult } from './plan-edition.ts';

export interface PublishDeps {
  readonly config: Config;
  readonly posts: PostStore;
  readonly editions: EditionStore;
  readonly clock: Clock;
  /** Plans (renders, fans out) an edition that exists in the store; undefined when handed to the plan function. */
  readonly plan: (editionId: string) => Promise<PlanResult | undefined>;
}

/** What publishing did for one list. */
export type ListOutcome =
  | {
      readonly listId: string;
      readonly action: 'planned';
      readonly editionId: string;
      readonly plan?: PlanResult;
      readonly resumed: boolean;
    }
  /** The same post, same version, was already planned for this list: nothing new is sent. */
  | { readonly listId: string; readonly action: 'already-sent'; readonly editionId: string }
  /** The post changed since it was sent: sending the new version needs --resend. */
  | {
      readonly listId: string;
      readonly action: 'edited';
      readonly editionId: string;
      readonly previousEditionId: string;
    }
  | { readonly listId: string; readonly action: 'digest-only' | 'skip'; readonly reason: string };

export interface PublishResult {
  readonly postId: string;
  /** What the post store made of it: first seen, edited (new content hash), or unchanged. */
  readonly post: 'created' | 'edited' | 'unchanged';
  readonly version: number;
  readonly lists: readonly ListOutcome[];
}

/**
 * Publishes one post: records it for its lists' digests, then makes an edition per list the post
 * targets (for that list's `instant` subscribers) and plans it. The edition id comes from the post's
 * id and content hash, so publishing the same post twice finds the same edition and sends nothing new;
 * an edition left half-planned by a crash is resumed. An edited post (new content hash) whose earlier
 * version already went out is sent again only with `resend`.
 */
export async function publishPost(
  deps: PublishDeps,
  post: Post,
  options: { readonly list?: string; readonly resend?: boolean } = {},
): Promise<PublishResult> {
  const decisions = decidePublish(post, deps.config.lists, options.list);
  const targets = post.lists ?? deps.config.lists.map((l) => l.id);
  const now = deps.clock.now().toISOString();
  const stored =
    post.draft || post.send === 'never'
      ? undefined
      : await deps.posts.put(
          post,
          targets.filter((id) => deps.config.lists.some((l) => l.id === id)),
          now,
        );
  const version = stored?.stored.version ?? 1;
  const lists: ListOutcome[] = [];
  for (const d of decisions) {
    if (d.action !== 'send') {
      lists.push({ listId: d.listId, action: d.action, reason: d.reason });
      continue;
    }
    const id = editionId(d.spec);
    const existing = await deps.editions.get(id);
    if (existing?.checkpoint?.done) {
      lists.push({ listId: d.listId, action: 'already-sent', editionId: id });
      continue;
    }
    if (!existing && version > 1 && !options.resend) {
      const previous = await findPublishedEdition(deps.editions, d.listId, post.id);
      if (previous && previous.id !== id) {
        lists.push({ listId: d.listId, action: 'edited', editionId: id, previousEditionId: previous.id });
        continue;
      }
    }
    const edition: Edition = {
      id,
      listId: d.listId,
      kind: 'publish',
      cadences: ['instant'],
      posts: [{ id: post.id, contentHash: post.contentHash, version }],
      subject: post.title,
      status: 'planning',
      createdAt: now,
      ...(options.resend ? { meta: { resend: true } } : {}),
    };
    const { created } = await deps.editions.createIfAbsent(edition);
    const plan = await deps.plan(id);
    lists.push({
      listId: d.listId,
      action: 'planned',
      editionId: id,
      ...(plan ? { plan } : {}),
      resumed: !created,
    });
  }
  return { postId: post.id, post: stored?.outcome ?? 'unchanged', version, lists };
}

/** The newest publish edition of `postId` on a list, looking back over the list's recent editions. */
async function findPublishedEdition(
  editions: EditionStore,
  listId: string,
  postId: string,
): Promise<Edition | undefined> {
  let cursor: string | undefined;
  // Bounded: an edit is re-sent within the list's recent history; 20 pages of 50 editions is years of posts.
  for (let pages = 0; pages < 20; pages++) {
    const page = await editions.pageByList(listId, cursor, 50);
    const hit = page.items.find((e) => e.kind === 'publish' && e.posts.some((p) => p.id === postId));
    if (hit) return hit;
    if (!page.cursor) return undefined;
    cursor = page.cursor;
  }
  return undefined;
}
