import type { Config, ListConfig } from '../core/config/schema.ts';
import { type EditionSpec, editionId } from '../core/editions/edition-id.ts';
import type { EditionWave } from '../core/editions/model.ts';
import { decidePublish } from '../core/editions/select.ts';
import { TidingsError } from '../core/errors.ts';
import type { Post } from '../core/posts/post.ts';
import type { Clock } from '../ports/clock.ts';
import type { Edition, EditionStore } from '../ports/edition-store.ts';
import type { PostStore } from '../ports/post-store.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import type { PlanResult, RenderFn } from './plan-edition.ts';

export interface PublishDeps {
  readonly config: Config;
  readonly posts: PostStore;
  readonly editions: EditionStore;
  readonly clock: Clock;
  /** Plans (renders, fans out) an edition that exists in the store; undefined when handed to the plan function. */
  readonly plan: (editionId: string) => Promise<PlanResult | undefined>;
  /**
   * Plans the time-zone waves of an edition of a list with `deliverAt` (use-cases/plan-waves.ts). Without
   * it, such a list is refused rather than sent to everyone at once.
   */
  readonly assignWaves?: (input: {
    readonly editionId: string;
    readonly list: ListConfig;
    readonly post: Post;
  }) => Promise<EditionWave[]>;
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

/** An edition as the renderer gives it: subject, HTML and text, warnings. */
type Rendered = Awaited<ReturnType<RenderFn>>;

/** What a dry run found for one list that would be sent: nothing is written, queued or sent. */
export interface DryRunList {
  readonly listId: string;
  readonly action: 'would-send' | 'already-sent' | 'edited';
  readonly editionId: string;
  /** For `edited`: the edition that carried the earlier version. */
  readonly previousEditionId?: string;
  /** The rendered edition, for the preview files. */
  readonly rendered?: Rendered;
  /** Subscribed `instant` members who are not suppressed. */
  readonly recipients: number;
  /** Members left out because their address is suppressed. */
  readonly suppressed: number;
  /** The first few recipients' addresses. */
  readonly sample: readonly string[];
}

export interface DryRunResult {
  readonly postId: string;
  readonly dryRun: true;
  /** What publishing would make of the post: first seen, edited (new content hash), or unchanged. */
  readonly post: 'created' | 'edited' | 'unchanged';
  readonly version: number;
  readonly lists: readonly (
    | DryRunList
    | { readonly listId: string; readonly action: 'digest-only' | 'skip'; readonly reason: string }
  )[];
}

/** What a dry run reads on top of publishing's dependencies. */
export interface DryRunDeps extends Omit<PublishDeps, 'plan'> {
  readonly subscribers: Pick<SubscriberStore, 'pageByList'>;
  readonly suppressions: Pick<SuppressionStore, 'getMany'>;
  readonly render: RenderFn;
}

type Verdict =
  | { readonly kind: 'send'; readonly editionId: string }
  | { readonly kind: 'already-sent'; readonly editionId: string }
  | { readonly kind: 'edited'; readonly editionId: string; readonly previousEditionId: string };

/**
 * The one rule for what publishing does with a list the post targets: already sent (this version was
 * planned to the end), edited (an earlier version went out and `resend` was not asked), or send.
 * Publishing and its dry run both decide here.
 */
async function decideList(
  editions: EditionStore,
  spec: EditionSpec,
  postId: string,
  version: number,
  resend: boolean | undefined,
): Promise<Verdict> {
  const id = editionId(spec);
  const existing = await editions.get(id);
  if (existing?.checkpoint?.done) return { kind: 'already-sent', editionId: id };
  if (!existing && version > 1 && !resend) {
    const previous = await findPublishedEdition(editions, spec.listId, postId);
    if (previous && previous.id !== id)
      return { kind: 'edited', editionId: id, previousEditionId: previous.id };
  }
  return { kind: 'send', editionId: id };
}

/** The lists a post is recorded for: its own `lists`, or every list, among those the config knows. */
function recordedLists(post: Post, config: Config): string[] {
  const targets = post.lists ?? config.lists.map((l) => l.id);
  return targets.filter((id) => config.lists.some((l) => l.id === id));
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
  const now = deps.clock.now().toISOString();
  // A `send: never` post is recorded too (for the web archive); digests leave it out (core/editions/select.ts).
  const stored = post.draft ? undefined : await deps.posts.put(post, recordedLists(post, deps.config), now);
  const version = stored?.stored.version ?? 1;
  const lists: ListOutcome[] = [];
  for (const d of decisions) {
    if (d.action !== 'send') {
      lists.push({ listId: d.listId, action: d.action, reason: d.reason });
      continue;
    }
    const verdict = await decideList(deps.editions, d.spec, post.id, version, options.resend);
    const id = verdict.editionId;
    if (verdict.kind === 'already-sent') {
      lists.push({ listId: d.listId, action: 'already-sent', editionId: id });
      continue;
    }
    if (verdict.kind === 'edited') {
      lists.push({
        listId: d.listId,
        action: 'edited',
        editionId: id,
        previousEditionId: verdict.previousEditionId,
      });
      continue;
    }
    const waves = await wavesOf(deps, id, d.listId, post);
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
      ...(waves ? { waves } : {}),
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

/**
 * The waves of an edition of a list with `deliverAt`: those already decided when the edition exists (a
 * publish retried, a second publish of the same post), else planned now. `undefined`: no waves.
 */
async function wavesOf(
  deps: PublishDeps,
  editionId: string,
  listId: string,
  post: Post,
): Promise<readonly EditionWave[] | undefined> {
  const list = deps.config.lists.find((l) => l.id === listId);
  if (!list?.deliverAt) return undefined;
  const existing = await deps.editions.get(editionId);
  if (existing) return existing.edition.waves;
  if (!deps.assignWaves) {
    throw new TidingsError(
      'USE_CASE_UNAVAILABLE',
      `list "${listId}" delivers at local time (deliverAt), and this process cannot plan waves`,
    );
  }
  return deps.assignWaves({ editionId, list, post });
}

/** How many recipients a dry run names in its sample. */
const DRY_RUN_SAMPLE = 10;

/**
 * Publishing in a dry run: the same decisions as `publishPost` (targeting, already sent, edited without
 * `resend`), the rendering of each edition that would go out, and who would get it (subscribed `instant`
 * members, minus suppressed addresses). Writes nothing, queues nothing, sends nothing.
 */
export async function dryRunPublish(
  deps: DryRunDeps,
  post: Post,
  options: { readonly list?: string; readonly resend?: boolean } = {},
): Promise<DryRunResult> {
  const decisions = decidePublish(post, deps.config.lists, options.list);
  const known = post.draft || post.send === 'never' ? undefined : await deps.posts.get(post.id);
  const edited = known !== undefined && known.post.contentHash !== post.contentHash;
  const version = known ? known.version + (edited ? 1 : 0) : 1;
  const postOutcome = known ? (edited ? 'edited' : 'unchanged') : 'created';
  const lists: DryRunResult['lists'][number][] = [];
  for (const d of decisions) {
    if (d.action !== 'send') {
      lists.push({ listId: d.listId, action: d.action, reason: d.reason });
      continue;
    }
    const list = deps.config.lists.find((l) => l.id === d.listId);
    if (!list) continue;
    const verdict = await decideList(deps.editions, d.spec, post.id, version, options.resend);
    const rendered = await deps.render({ editionId: verdict.editionId, kind: 'post', posts: [post], list });
    const audience = await countAudience(deps, d.listId);
    lists.push({
      listId: d.listId,
      action: verdict.kind === 'send' ? 'would-send' : verdict.kind,
      editionId: verdict.editionId,
      ...(verdict.kind === 'edited' ? { previousEditionId: verdict.previousEditionId } : {}),
      rendered,
      ...audience,
    });
  }
  return { postId: post.id, dryRun: true, post: postOutcome, version, lists };
}

async function countAudience(
  deps: Pick<DryRunDeps, 'subscribers' | 'suppressions'>,
  listId: string,
): Promise<{ recipients: number; suppressed: number; sample: string[] }> {
  let recipients = 0;
  let suppressed = 0;
  const sample: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.subscribers.pageByList(
      listId,
      { status: 'subscribed', cadence: 'instant' },
      cursor,
      500,
    );
    const blocked = await deps.suppressions.getMany(page.items.map((m) => m.email));
    for (const m of page.items) {
      if (blocked.has(m.email)) suppressed++;
      else {
        recipients++;
        if (sample.length < DRY_RUN_SAMPLE) sample.push(m.email);
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return { recipients, suppressed, sample };
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
