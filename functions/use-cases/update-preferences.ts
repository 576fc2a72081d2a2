import type { Cadence } from '../core/config/schema.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { cleanName } from './subscribe.ts';
import { type LinkProblem, subjectOf } from './token-subject.ts';
import { leaveLists } from './unsubscribe.ts';

/** One list as the preferences page shows it. */
export interface ListPreferenceView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly subscribed: boolean;
  readonly pending: boolean;
  readonly cadence: Cadence;
}

export type PreferencesResult =
  | {
      readonly outcome: 'ready';
      readonly subscriber: Subscriber;
      readonly lists: readonly ListPreferenceView[];
    }
  | { readonly outcome: 'invalid'; readonly problem: LinkProblem };

export interface PreferencesChange {
  readonly token: string | null;
  /** A new name; empty or absent keeps the stored one. */
  readonly name?: string;
  /** The lists the reader wants (checked boxes); every other list is left. */
  readonly lists: readonly string[];
  /** Cadence per list id; missing ones keep the stored cadence. */
  readonly cadences: Readonly<Record<string, Cadence>>;
  /** "Unsubscribe from everything". */
  readonly unsubscribeAll: boolean;
  readonly ip: string;
}

/** `GET /preferences?token=…`: the reader's lists, status and cadence. Changes nothing. */
export async function viewPreferences(deps: JourneyDeps, token: string | null): Promise<PreferencesResult> {
  const subject = await subjectOf(deps, token, 'preferences');
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  return {
    outcome: 'ready',
    subscriber: subject.subscriber,
    lists: preferenceViews(deps, subject.subscriber),
  };
}

/**
 * `POST /preferences?token=…`: applies the form. A checked list the reader was not on becomes
 * `subscribed` at once: the token came by email, so whoever holds it reads that mailbox, and the consent
 * record says so (`method: 'preferences'`). An unchecked list is left (`unsubscribeReason:
 * 'preferences'`); a pending list stays pending until its confirmation link is clicked.
 */
export async function updatePreferences(
  deps: JourneyDeps,
  change: PreferencesChange,
): Promise<PreferencesResult> {
  const subject = await subjectOf(deps, change.token, 'preferences');
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  let subscriber = subject.subscriber;
  if (change.unsubscribeAll) {
    subscriber = (await leaveLists(deps, subscriber, undefined, 'preferences')).subscriber;
    return { outcome: 'ready', subscriber, lists: preferenceViews(deps, subscriber) };
  }
  const at = deps.clock.now().toISOString();
  const name = cleanName(change.name);
  if (name && name !== subscriber.name) {
    subscriber = (await deps.subscribers.put({ ...subscriber, name, updatedAt: at })).subscriber;
  }
  const wanted = new Set(change.lists);
  const leaving: string[] = [];
  for (const list of deps.config.lists) {
    const membership = subscriber.lists[list.id];
    const cadence = change.cadences[list.id] ?? membership?.cadence ?? list.defaultCadence;
    const active = membership?.status === 'subscribed' || membership?.status === 'pending';
    if (wanted.has(list.id) && active) {
      if (membership.cadence !== cadence) {
        subscriber = await deps.subscribers.setMembership(subscriber.id, list.id, { cadence, updatedAt: at });
      }
    } else if (wanted.has(list.id)) {
      subscriber = await deps.subscribers.setMembership(subscriber.id, list.id, {
        status: 'subscribed',
        cadence,
        consent: {
          at,
          method: 'preferences',
          source: `${deps.config.publicUrl.replace(/\/+$/, '')}/preferences`,
          ip: change.ip,
          confirmedAt: at,
          confirmedIp: change.ip,
        },
        updatedAt: at,
      });
    } else if (active) {
      leaving.push(list.id);
    }
  }
  if (leaving.length > 0)
    subscriber = (await leaveLists(deps, subscriber, leaving, 'preferences')).subscriber;
  return { outcome: 'ready', subscriber, lists: preferenceViews(deps, subscriber) };
}

function preferenceViews(deps: Pick<JourneyDeps, 'config'>, subscriber: Subscriber): ListPreferenceView[] {
  return deps.config.lists.map((list) => {
    const m = subscriber.lists[list.id];
    return {
      id: list.id,
      name: list.name,
      description: list.description,
      subscribed: m?.status === 'subscribed' || m?.status === 'pending',
      pending: m?.status === 'pending',
      cadence: m?.cadence ?? list.defaultCadence,
    };
  });
}
