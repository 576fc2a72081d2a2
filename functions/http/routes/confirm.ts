import { confirmSubscription } from '../../use-cases/confirm-subscription.ts';
import { manageLinks } from '../../use-cases/journey-mail.ts';
import { subjectOf } from '../../use-cases/token-subject.ts';
import { maskEmail } from '../pages.ts';
import type { Route } from '../route-context.ts';

/**
 * HEAD /confirm only checks the link. HEAD is safe (RFC 9110 9.2.1): link checkers and mail scanners send
 * it, so it must not confirm anything.
 */
export const headConfirm: Route = async ({ deps, pages, page, invalidLink, home }, _req, token) => {
  const subject = await subjectOf(deps, token, 'confirm');
  if (!subject.ok) return invalidLink(subject.problem);
  return page(
    200,
    pages.message('Confirm your subscription', ['Open this link in a browser to confirm.'], home()),
  );
};

/** GET /confirm: the one GET that changes something (double opt-in), then the welcome emails. */
export const getConfirm: Route = async ({ deps, pages, log, page, invalidLink, home }, req, token) => {
  const result = await confirmSubscription(deps, { token, ip: req.ip });
  if (result.outcome === 'invalid') return invalidLink(result.problem);
  log('info', 'subscription-confirmed', {
    subscriberId: result.subscriber.id,
    lists: result.lists.map((l) => l.id),
    newly: result.newlyConfirmed,
  });
  for (const failure of result.welcomeFailures) {
    log('warn', 'welcome-email-failed', { subscriberId: result.subscriber.id, ...failure });
  }
  const first = result.lists[0];
  const links = first ? manageLinks(deps, result.subscriber.id, first.id, deps.clock.now()) : undefined;
  const names = result.lists.map((l) => l.name).join(', ');
  return page(
    200,
    pages.message(
      'You are subscribed',
      [
        `Thank you. ${maskEmail(result.subscriber.email)} is now subscribed to ${names}.`,
        'You can change how often you hear from us at any time.',
      ],
      links ? [{ href: links.preferencesUrl, text: 'Change your preferences' }, ...home()] : home(),
    ),
  );
};
