import type { ListConfig } from '../core/config/schema.ts';
import { listLanguage } from '../core/i18n/language-of.ts';
import { journeyWords } from '../core/render/journey-fill.ts';
import { checkEmail } from '../core/subscribers/email.ts';
import { signToken, TOKEN_TTL_SECONDS } from '../core/tokens/tokens.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { journeyUrl, sendJourneyEmail } from './journey-mail.ts';
import { sendConfirmation } from './subscribe.ts';

/**
 * `POST /resend`: someone whose link failed asks for a fresh one. The answer never says whether the
 * address is known. Out of sight: a subscriber with pending lists gets a new confirmation email; one with
 * any other membership gets a link to the preferences page (from which they can also leave); an unknown
 * or suppressed address gets nothing.
 */
export async function resendLink(
  deps: JourneyDeps,
  input: { readonly email: string },
): Promise<{ sent: boolean }> {
  const verdict = checkEmail(input.email);
  if (!verdict.ok) return { sent: false };
  if (await deps.suppressions.get(verdict.email)) return { sent: false };
  const subscriber = await deps.subscribers.getByEmail(verdict.email);
  if (!subscriber) return { sent: false };
  const now = deps.clock.now();
  const lists = deps.config.lists;
  const pending = lists.filter((l) => subscriber.lists[l.id]?.status === 'pending');
  if (pending.length > 0) {
    await sendConfirmation(deps, subscriber, pending, now);
    return { sent: true };
  }
  const member = lists.filter((l) => subscriber.lists[l.id] !== undefined);
  if (member.length === 0) return { sent: false };
  const token = signToken(
    {
      purpose: 'preferences',
      sub: subscriber.id,
      exp: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS.preferences,
    },
    deps.keys,
  );
  const list = member[0] as ListConfig;
  const i18n = journeyWords(deps.templates, listLanguage(deps.config, list));
  await sendJourneyEmail(deps, {
    kind: 'manage',
    subscriber,
    list,
    subject: i18n.t('journey.manageSubject', { site: deps.config.site.name }),
    preheader: i18n.t('journey.managePreheader'),
    heading: i18n.t('journey.manageHeading'),
    intro: i18n.t('journey.manageIntro'),
    lists: [],
    buttonLabel: i18n.t('journey.manageButton'),
    actionUrl: journeyUrl(deps.config, '/preferences', token),
    note: i18n.t('journey.manageNote'),
  });
  return { sent: true };
}
