import { confirmSubscription } from '../../use-cases/confirm-subscription.ts';
import { manageLinks } from '../../use-cases/journey-mail.ts';
import { subjectOf } from '../../use-cases/token-subject.ts';
import { maskEmail } from '../pages.ts';
import { type Route, selfUrl } from '../route-context.ts';

/**
 * GET (and HEAD) /confirm: the link from the confirmation email opens a page with one button. Corporate
 * link scanners and mail previews fetch every link in a message; a GET that confirmed would let them
 * complete the double opt-in for a reader who never clicked. Only the button's POST confirms.
 */
export const getConfirm: Route = async ({ deps, pagesFor, page, invalidLink }, req, token) => {
  const subject = await subjectOf(deps, token, 'confirm');
  if (!subject.ok) return invalidLink(subject.problem, req);
  if (subject.lists.length === 0) return invalidLink('invalid', req);
  // In the language of the list being confirmed (the first one, for a sign-up to several).
  const pages = pagesFor(subject.lists);
  const names = subject.lists.map((id) => deps.config.lists.find((l) => l.id === id)?.name ?? id).join(', ');
  return page(
    200,
    pages.confirm({
      action: selfUrl(req),
      listNames: names,
      maskedEmail: maskEmail(subject.subscriber.email),
    }),
  );
};

/** POST /confirm: the button of GET /confirm's page confirms (double opt-in), then the welcome emails. */
export const postConfirm: Route = async ({ deps, pagesFor, log, page, invalidLink, home }, req, token) => {
  const result = await confirmSubscription(deps, { token, ip: req.ip });
  if (result.outcome === 'invalid') return invalidLink(result.problem, req);
  const pages = pagesFor(result.lists.map((l) => l.id));
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
      pages.t('page.subscribedTitle'),
      [
        pages.t('page.subscribedThanks', { email: maskEmail(result.subscriber.email), lists: names }),
        pages.t('page.subscribedChange'),
      ],
      links
        ? [{ href: links.preferencesUrl, text: pages.t('page.changePreferences') }, ...home(pages)]
        : home(pages),
    ),
  );
};
