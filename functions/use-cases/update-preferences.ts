import type { Cadence, ListConfig } from '../core/config/schema.ts';
import { checkTimeZone } from '../core/schedule/waves.ts';
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

/**
 * A list the reader is on that goes out at a local time (`deliverAt`): when, and in which zone, as the
 * preferences page says it.
 */
export interface LocalTimeView {
  readonly name: string;
  /** `HH:MM`. */
  readonly deliverAt: string;
  /** The reader's own zone, or the list's when the reader has none (`yours: false`). */
  readonly zone: string;
  readonly yours: boolean;
}

export type PreferencesResult =
  | {
      readonly outcome: 'ready';
      readonly subscriber: Subscriber;
      readonly lists: readonly ListPreferenceView[];
      /** The reader's lists delivered at a local time; empty when none is. */
      readonly localTime: readonly LocalTimeView[];
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
  /**
   * The browser's IANA zone, posted only when the reader ticked "use this browser's time zone" (already
   * checked by the route: an unknown zone is dropped there); absent keeps the stored one.
   */
  readonly timeZone?: string;
  readonly ip: string;
}

/** `GET /preferences?token=…`: the reader's lists, status and cadence. Changes nothing. */
export async function viewPreferences(deps: JourneyDeps, token: string | null): Promise<PreferencesResult> {
  const { subject, confirmToAdd } = await preferencesSubject(deps, token);
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  return ready(deps, subject.subscriber, confirmToAdd);
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
    return ready(deps, subscriber, confirmToAdd);
  }
  const at = deps.clock.now().toISOString();
  const name = cleanName(change.name);
  const timeZone = change.timeZone !== subscriber.timeZone ? change.timeZone : undefined;
  if ((name && name !== subscriber.name) || timeZone) {
    subscriber = (
      await deps.subscribers.put({
        ...subscriber,
        ...(name ? { name } : {}),
        ...(timeZone ? { timeZone } : {}),
        updatedAt: at,
      })
    ).subscriber;
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
  return ready(deps, subscriber, confirmToAdd, confirmationFailure);
}

/** The page's view of the reader as they now are. */
function ready(
  deps: Pick<JourneyDeps, 'config'>,
  subscriber: Subscriber,
  confirmToAdd: boolean,
  confirmationFailure?: string,
): PreferencesResult {
  return {
    outcome: 'ready',
    subscriber,
    lists: preferenceViews(deps, subscriber),
    localTime: localTimeViews(deps, subscriber),
    confirmToAdd,
    ...(confirmationFailure ? { confirmationFailure } : {}),
  };
}

/** The reader's lists (subscribed or pending) that go out at a local time, and in which zone for them. */
function localTimeViews(deps: Pick<JourneyDeps, 'config'>, subscriber: Subscriber): LocalTimeView[] {
  const own = checkTimeZone(subscriber.timeZone);
  return deps.config.lists.flatMap((list) => {
    const status = subscriber.lists[list.id]?.status;
    if (!list.deliverAt || (status !== 'subscribed' && status !== 'pending')) return [];
    const zone = own ?? checkTimeZone(list.timeZone) ?? 'UTC';
    return [{ name: list.name, deliverAt: list.deliverAt, zone, yours: own !== undefined }];
  });
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
