import { type TokenPurpose, verifyToken } from '../core/tokens/tokens.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';

/** Why a link was refused: `expired` gets its own wording, everything else is `invalid`. */
export type LinkProblem = 'expired' | 'invalid';

export type TokenSubject =
  | { readonly ok: true; readonly subscriber: Subscriber; readonly lists: readonly string[] }
  | { readonly ok: false; readonly problem: LinkProblem };

/**
 * Verifies a link's token for one purpose and loads its subscriber. `lists` are the token's list ids that
 * still exist in the config (empty for a token about every list). Tampered, forged, unknown-key,
 * wrong-purpose tokens and tokens of deleted subscribers are all `invalid`; only a genuine token past
 * its time is `expired`.
 */
export async function subjectOf(
  deps: Pick<JourneyDeps, 'keys' | 'clock' | 'subscribers' | 'config'>,
  token: string | null | undefined,
  purpose: TokenPurpose,
): Promise<TokenSubject> {
  if (!token) return { ok: false, problem: 'invalid' };
  const verdict = verifyToken(token, deps.keys, purpose, Math.floor(deps.clock.now().getTime() / 1000));
  if (!verdict.ok) return { ok: false, problem: verdict.reason === 'expired' ? 'expired' : 'invalid' };
  const subscriber = await deps.subscribers.get(verdict.claims.sub);
  if (!subscriber) return { ok: false, problem: 'invalid' };
  const known = new Set(deps.config.lists.map((l) => l.id));
  const claimed = verdict.claims.list ? verdict.claims.list.split(',') : [];
  const lists = claimed.filter((id) => known.has(id));
  if (claimed.length > 0 && lists.length === 0) return { ok: false, problem: 'invalid' };
  return { ok: true, subscriber, lists };
}
