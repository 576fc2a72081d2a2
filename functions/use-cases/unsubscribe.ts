import type { Config, ListConfig } from '../core/config/schema.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { type LinkProblem, subjectOf } from './token-subject.ts';

/** How the reader left, kept as the membership's `unsubscribeReason`. */
export type UnsubscribeVia = 'one-click' | 'unsubscribe-page' | 'preferences' | 'complaint';

export type UnsubscribeResult =
  | {
      readonly outcome: 'unsubscribed';
      readonly subscriber: Subscriber;
      /** The lists the reader is now out of (including ones left before: a replay is harmless). */
      readonly lists: readonly ListConfig[];
    }
  | { readonly outcome: 'invalid'; readonly problem: LinkProblem };

/** What GET /unsubscribe shows before anything happens. */
export type UnsubscribeView =
  | { readonly outcome: 'ready'; readonly subscriber: Subscriber; readonly list?: ListConfig }
  | { readonly outcome: 'invalid'; readonly problem: LinkProblem };

/**
 * Reads an unsubscribe link without acting on it (GET never unsubscribes: link scanners prefetch).
 * `listParam` is the `list` query parameter, if the URL has one: it must be the token's list.
 */
export async function viewUnsubscribe(
  deps: JourneyDeps,
  input: { readonly token: string | null; readonly listParam?: string | null },
): Promise<UnsubscribeView> {
  const subject = await subjectOf(deps, input.token, 'unsubscribe');
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  if (!listMatches(subject.lists, input.listParam)) return { outcome: 'invalid', problem: 'invalid' };
  const list = deps.config.lists.find((l) => l.id === subject.lists[0]);
  return { outcome: 'ready', subscriber: subject.subscriber, ...(list ? { list } : {}) };
}

/**
 * RFC 8058 one-click (and the page's buttons): leaves the token's list, or every list with
 * `scope: 'all'` (or a token about every list). Replays are harmless: an unsubscribed membership is left
 * as it is, with its first `unsubscribedAt`.
 */
export async function unsubscribe(
  deps: JourneyDeps,
  input: {
    readonly token: string | null;
    readonly listParam?: string | null;
    readonly scope: 'list' | 'all';
    readonly via: UnsubscribeVia;
  },
): Promise<UnsubscribeResult> {
  const subject = await subjectOf(deps, input.token, 'unsubscribe');
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  if (!listMatches(subject.lists, input.listParam)) return { outcome: 'invalid', problem: 'invalid' };
  const ids = input.scope === 'all' || subject.lists.length === 0 ? undefined : subject.lists;
  return leaveLists(deps, subject.subscriber, ids, input.via);
}

/**
 * Sets the given lists (every list of the subscriber when `ids` is undefined) to `unsubscribed`. Shared
 * by unsubscribe, preferences and complaints.
 */
export async function leaveLists(
  deps: { readonly config: Pick<Config, 'lists'> } & Pick<JourneyDeps, 'clock' | 'subscribers'>,
  subscriber: Subscriber,
  ids: readonly string[] | undefined,
  via: UnsubscribeVia,
): Promise<{ outcome: 'unsubscribed'; subscriber: Subscriber; lists: ListConfig[] }> {
  const at = deps.clock.now().toISOString();
  const targets = ids ?? Object.keys(subscriber.lists);
  let current = subscriber;
  for (const id of targets) {
    const membership = current.lists[id];
    if (!membership || membership.status === 'unsubscribed') continue;
    current = await deps.subscribers.setMembership(current.id, id, {
      status: 'unsubscribed',
      unsubscribedAt: at,
      unsubscribeReason: via,
      updatedAt: at,
    });
  }
  const lists = deps.config.lists.filter((l) => targets.includes(l.id));
  return { outcome: 'unsubscribed', subscriber: current, lists };
}

function listMatches(tokenLists: readonly string[], listParam: string | null | undefined): boolean {
  if (!listParam) return true;
  return tokenLists.length === 1 && tokenLists[0] === listParam;
}
