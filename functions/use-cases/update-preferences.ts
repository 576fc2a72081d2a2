import type { Cadence, ListConfig } from '../core/config/schema.ts';
import { signToken, TOKEN_TTL_SECONDS } from '../core/tokens/tokens.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { journeyUrl } from './journey-mail.ts';
import { cleanName, describeFailure, sendConfirmation } from './subscribe.ts';
import { type LinkProblem, subjectOf, type TokenSubject } from './token-subject.ts';
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
      /**
       * The link is a `manage` link (from an unsubscribe page): lists it adds wait for a confirmation
       * sent by email.
       */
      readonly confirmToAdd: boolean;
      /** For the log only: the confirmation of added lists could not be sent (name and code). */
      readonly confirmationFailure?: string;
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
  const { subject, confirmToAdd } = await preferencesSubject(deps, token);
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  return {
    outcome: 'ready',
    subscriber: subject.subscriber,
    lists: preferenceViews(deps, subject.subscriber),
    confirmToAdd,
  };
}

/**
 * The preferences page's link for a reader who came through an unsubscribe link: a `manage` token, which
 * can leave lists and change cadences but adds a list only through a new confirmation. An unsubscribe
 * link works forever and may sit in an old, forwarded or leaked mail; it must not open a page that
 * re-subscribes its holder to every list.
 */
export function managePreferencesUrl(
  deps: Pick<JourneyDeps, 'config' | 'keys'>,
  subscriberId: string,
  now: Date,
): string {
  const token = signToken(
    {
      purpose: 'manage',
      sub: subscriberId,
      exp: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS.manage,
    },
    deps.keys,
  );
  return journeyUrl(deps.config, '/preferences', token);
}

/** A `preferences` link (adds lists at once) or a `manage` link (adds them through a confirmation). */
async function preferencesSubject(
  deps: JourneyDeps,
  token: string | null,
): Promise<{ subject: TokenSubject; confirmToAdd: boolean }> {
  const subject = await subjectOf(deps, token, 'preferences');
  if (subject.ok || subject.problem === 'expired') return { subject, confirmToAdd: false };
  return { subject: await subjectOf(deps, token, 'manage'), confirmToAdd: true };
}

/**
 * `POST /preferences?token=…`: applies the form. With a `preferences` link, a checked list the reader was
 * not on becomes `subscribed` at once: the token came by email within the year, so whoever holds it reads
 * that mailbox, and the consent record says so (`method: 'preferences'`). With a `manage` link (reached
 * through an unsubscribe link, which never expires) it becomes `pending` and a confirmation email goes out. An unchecked list is left (`unsubscribeReason:
 * 'preferences'`); a pending list stays pending until its confirmation link is clicked.
 */
export async function updatePreferences(
  deps: JourneyDeps,
  change: PreferencesChange,
): Promise<PreferencesResult> {
  const { subject, confirmToAdd } = await preferencesSubject(deps, change.token);
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  let subscriber = subject.subscriber;
  if (change.unsubscribeAll) {
    subscriber = (await leaveLists(deps, subscriber, undefined, 'preferences')).subscriber;
    return { outcome: 'ready', subscriber, lists: preferenceViews(deps, subscriber), confirmToAdd };
  }
  const at = deps.clock.now().toISOString();
  const name = cleanName(change.name);
  if (name && name !== subscriber.name) {
    subscriber = (await deps.subscribers.put({ ...subscriber, name, updatedAt: at })).subscriber;
  }
  const wanted = new Set(change.lists);
  const leaving: string[] = [];
  const added: ListConfig[] = [];
  for (const list of deps.config.lists) {
    const membership = subscriber.lists[list.id];
    const cadence = change.cadences[list.id] ?? membership?.cadence ?? list.defaultCadence;
    const active = membership?.status === 'subscribed' || membership?.status === 'pending';
    if (wanted.has(list.id) && active) {
      if (membership.cadence !== cadence) {
        subscriber = await deps.subscribers.setMembership(subscriber.id, list.id, { cadence, updatedAt: at });
      }
    } else if (wanted.has(list.id)) {
      const source = `${deps.config.publicUrl.replace(/\/+$/, '')}/preferences`;
      if (confirmToAdd) added.push(list);
      subscriber = await deps.subscribers.setMembership(subscriber.id, list.id, {
        status: confirmToAdd ? 'pending' : 'subscribed',
        cadence,
        consent: confirmToAdd
          ? { at, method: 'preferences', source, ip: change.ip }
          : { at, method: 'preferences', source, ip: change.ip, confirmedAt: at, confirmedIp: change.ip },
        updatedAt: at,
      });
    } else if (active) {
      leaving.push(list.id);
    }
  }
  if (leaving.length > 0)
    subscriber = (await leaveLists(deps, subscriber, leaving, 'preferences')).subscriber;
  let confirmationFailure: string | undefined;
  if (added.length > 0) {
    try {
      await sendConfirmation(deps, subscriber, added, deps.clock.now());
    } catch (error) {
      // The lists stay pending: the reader can tick them again or ask /resend for a fresh link.
      confirmationFailure = describeFailure(error);
    }
  }
  return {
    outcome: 'ready',
    subscriber,
    lists: preferenceViews(deps, subscriber),
    confirmToAdd,
    ...(confirmationFailure ? { confirmationFailure } : {}),
  };
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
