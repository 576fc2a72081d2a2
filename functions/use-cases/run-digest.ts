import type { DigestPageInput } from '../core/archive/pages.ts';
import type { Config } from '../core/config/schema.ts';
import { editionId } from '../core/editions/edition-id.ts';
import { digestQueryFrom, digestSpec, nextDigestCursor, selectDigestPosts } from '../core/editions/select.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { ListCursorStore } from '../ports/list-cursor-store.ts';
import type { ListedPost, PostStore } from '../ports/post-store.ts';
import type { PlanResult } from './plan-edition.ts';

export interface DigestDeps {
  readonly config: Config;
  readonly posts: PostStore;
  readonly editions: EditionStore;
  readonly cursors: ListCursorStore;
  readonly clock: Clock;
  /**
   * Plans the edition in this process: the digest cursor may move only once the plan is finished, so
   * the digest step never hands planning off.
   */
  readonly plan: (editionId: string) => Promise<PlanResult>;
  /**
   * Writes the digest's page in the web archive (refresh-archive.ts, `writeDigestPage`), where its email's
   * "View in browser" goes; called before the plan, so the page is there before any message is sent (a
   * retried digest writes it again).
   * Absent (a process that writes no archive): the plan links the digest to the archive's index instead.
   */
  readonly writePage?: (page: DigestPageInput) => Promise<unknown>;
}

export type DigestResult =
  | {
      readonly listId: string;
      readonly cadence: 'daily' | 'weekly';
      readonly action: 'nothing-new';
      readonly since?: string;
    }
  | {
      readonly listId: string;
      readonly cadence: 'daily' | 'weekly';
      readonly action: 'planned';
      readonly editionId: string;
      readonly postIds: readonly string[];
      readonly plan: PlanResult;
      /** False when another run moved the cursor first (nothing lost: the edition id is the same). */
      readonly cursorAdvanced: boolean;
    };

/**
 * Runs a list's digest for one cadence: every post recorded for the list since its digest cursor (by
 * when tidings stored it, not the author's date; see DIGEST_LOOKBACK_MS) goes into one edition for the list's `daily` or `weekly` subscribers. With no new posts it does
 * nothing. The cursor moves only after the edition is fully planned, so a crash mid-plan re-runs the
 * same digest (same posts → same edition id → the planner resumes at its checkpoint).
 */
export async function runDigest(
  deps: DigestDeps,
  listId: string,
  cadence: 'daily' | 'weekly',
): Promise<DigestResult> {
  if (!deps.config.lists.some((l) => l.id === listId)) {
    throw new InvalidInputError(
      'LIST_UNKNOWN',
      `--list ${listId}: no such list in the config; known lists: ${deps.config.lists.map((l) => l.id).join(', ')}`,
    );
  }
  const cursor = await deps.cursors.get(listId, cadence);
  const since = cursor ? { lastDigestAt: cursor.lastDigestAt, postIds: cursor.postIds } : undefined;
  const stored: ListedPost[] = [];
  let page: string | undefined;
  do {
    const result = await deps.posts.pageByListSince(listId, digestQueryFrom(since), page, 100);
    stored.push(...result.items);
    page = result.cursor;
  } while (page);
  const candidates = stored.map((s) => ({
    id: s.post.id,
    contentHash: s.post.contentHash,
    date: s.post.date,
    recordedAt: s.recordedAt,
    send: s.post.send,
    draft: s.post.draft,
    version: s.version,
  }));
  const selected = selectDigestPosts(candidates, since);
  if (selected.length === 0) {
    return { listId, cadence, action: 'nothing-new', ...(cursor ? { since: cursor.lastDigestAt } : {}) };
  }
  const id = editionId(digestSpec(listId, cadence, selected));
  const now = deps.clock.now().toISOString();
  await deps.editions.createIfAbsent({
    id,
    listId,
    kind: 'digest',
    cadences: [cadence],
    posts: selected.map((p) => ({ id: p.id, contentHash: p.contentHash, version: p.version })),
    status: 'planning',
    createdAt: now,
  });
  if (deps.writePage) {
    const byId = new Map(stored.map((s) => [`${s.post.id}@${s.version}`, s.post]));
    await deps.writePage({
      editionId: id,
      listId,
      date: now,
      posts: selected.flatMap((p) => byId.get(`${p.id}@${p.version}`) ?? []),
    });
  }
  const plan = await deps.plan(id);
  const next = nextDigestCursor(selected, since, candidates);
  let cursorAdvanced = false;
  // Only after the whole edition is planned: a crash before this line re-runs the same digest.
  if (next && plan.done) {
    cursorAdvanced = await deps.cursors.advance(
      {
        listId,
        cadence,
        lastDigestAt: next.lastDigestAt,
        postIds: next.postIds,
        editionId: id,
        updatedAt: now,
      },
      cursor?.lastDigestAt,
    );
  }
  return {
    listId,
    cadence,
    action: 'planned',
    editionId: id,
    postIds: selected.map((p) => p.id),
    plan,
    cursorAdvanced,
  };
}
