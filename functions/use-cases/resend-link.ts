import type { ListConfig } from '../core/config/schema.ts';
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
  await sendJourneyEmail(deps, {
    kind: 'manage',
    subscriber,
    list: member[0] as ListConfig,
    subject: `Your link to manage your ${deps.config.site.name} emails`,
    preheader: 'Change what you get from us, or leave.',
    heading: 'Manage your subscription',
    intro:
      'You asked for a fresh link. From this page you can choose your lists, how often you hear from us, or leave:',
    lists: [],
    buttonLabel: 'Open my preferences',
    actionUrl: journeyUrl(deps.config, '/preferences', token),
    note: 'If you did not ask for this link, you can ignore this email; nothing has changed.',
  });
  return { sent: true };
}
