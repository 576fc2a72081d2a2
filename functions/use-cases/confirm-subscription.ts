import type { Cadence, ListConfig } from '../core/config/schema.ts';
import { listLanguage } from '../core/i18n/language-of.ts';
import type { Translator } from '../core/i18n/translator-types.ts';
import { englishWords } from '../core/i18n/words.ts';
import { journeyWords } from '../core/render/journey-fill.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../ports/errors.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { sendJourneyEmail } from './journey-mail.ts';
import { describeFailure } from './subscribe.ts';
import { type LinkProblem, subjectOf } from './token-subject.ts';

export type ConfirmResult =
  | {
      readonly outcome: 'confirmed';
      readonly subscriber: Subscriber;
      /** Every list the link named that is now subscribed (newly or already). */
      readonly lists: readonly ListConfig[];
      /** The lists this click moved from pending to subscribed (empty on a second click). */
      readonly newlyConfirmed: readonly string[];
      /**
       * Welcome emails that could not be sent (SES refused or timed out). The confirmation stands: the
       * reader is subscribed either way, and the caller logs these for the operator.
       */
      readonly welcomeFailures: readonly { readonly listId: string; readonly error: string }[];
    }
  | { readonly outcome: 'invalid'; readonly problem: LinkProblem };

/**
 * Double opt-in, step two: `GET /confirm?token=…`. Each pending list the token names becomes
 * `subscribed` with the list's default cadence, and the consent record gains when and from where it was
 * confirmed. A second click changes nothing and sends nothing. A list the reader left in the meantime
 * stays left: an old confirmation link (or a mail scanner fetching it) never undoes an unsubscribe.
 * Lists with `welcome: true` send a welcome email on the first confirmation; one that cannot be sent is
 * reported in `welcomeFailures` and does not undo the confirmation.
 */
export async function confirmSubscription(
  deps: JourneyDeps,
  input: { readonly token: string | null; readonly ip: string },
): Promise<ConfirmResult> {
  const subject = await subjectOf(deps, input.token, 'confirm');
  if (!subject.ok) return { outcome: 'invalid', problem: subject.problem };
  if (subject.lists.length === 0) return { outcome: 'invalid', problem: 'invalid' };
  let subscriber = subject.subscriber;
  const now = deps.clock.now();
  const at = now.toISOString();
  const lists = subject.lists.map((id) => deps.config.lists.find((l) => l.id === id) as ListConfig);
  const newlyConfirmed: string[] = [];
  for (const list of lists) {
    const membership = subscriber.lists[list.id];
    if (membership?.status !== 'pending') continue;
    subscriber = await deps.subscribers.setMembership(subscriber.id, list.id, {
      status: 'subscribed',
      cadence: list.defaultCadence,
      ...(membership.consent && {
        consent: { ...membership.consent, confirmedAt: at, confirmedIp: input.ip },
      }),
      updatedAt: at,
    });
    newlyConfirmed.push(list.id);
  }
  const welcomeFailures: { listId: string; error: string }[] = [];
  if (newlyConfirmed.length > 0 && !(await deps.suppressions.get(subscriber.email))) {
    for (const list of lists.filter((l) => l.welcome && newlyConfirmed.includes(l.id))) {
      const i18n = journeyWords(deps.templates, listLanguage(deps.config, list));
      // A welcome is a courtesy: when SES refuses it, the subscription is still confirmed and the
      // reader still sees so (a 500 here would send them clicking again, and the second click sends nothing).
      await sendJourneyEmail(deps, {
        kind: 'welcome',
        subscriber,
        list,
        subject: i18n.t('journey.welcomeSubject', { list: list.name }),
        preheader: i18n.t('journey.welcomePreheader', { list: list.name }),
        cadenceLine: cadenceLine(list.defaultCadence, i18n),
      }).catch((error: unknown) => {
        // Only SES's answers are forgiven; anything else (a template, the key ring) is a bug and throws.
        if (!isSendFailure(error)) throw error;
        // The error's name and code, not its message: messages name the address, and logs keep none.
        welcomeFailures.push({ listId: list.id, error: describeFailure(error) });
      });
    }
  }
  const subscribed = lists.filter((l) => subscriber.lists[l.id]?.status === 'subscribed');
  if (subscribed.length === 0) return { outcome: 'invalid', problem: 'invalid' };
  return { outcome: 'confirmed', subscriber, lists: subscribed, newlyConfirmed, welcomeFailures };
}

function isSendFailure(error: unknown): boolean {
  return (
    error instanceof ThrottlingError ||
    error instanceof TransientSendError ||
    error instanceof SendRefusedError ||
    error instanceof PermanentRecipientError
  );
}

/** How often the reader will hear from a list, in words (English unless a translator says otherwise). */
export function cadenceLine(cadence: Cadence, i18n: Translator = englishWords()): string {
  return i18n.t(`journey.cadence.${cadence}`);
}
