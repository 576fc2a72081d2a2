import { unsubscribe, viewUnsubscribe } from '../../use-cases/unsubscribe.ts';
import { managePreferencesUrl } from '../../use-cases/update-preferences.ts';
import { parseFormBody } from '../forms.ts';
import { maskEmail } from '../pages.ts';
import { textResponse } from '../responses.ts';
import { type Route, selfUrl } from '../route-context.ts';

/** GET /unsubscribe: the confirm-to-leave page (a GET never unsubscribes: mail scanners follow links). */
export const getUnsubscribe: Route = async (
  { deps, pagesFor, pagesForReader, page, invalidLink },
  req,
  token,
) => {
  const view = await viewUnsubscribe(deps, { token, listParam: req.query.get('list') });
  if (view.outcome === 'invalid') return invalidLink(view.problem, req);
  // In the language of the token's list; for a link about every list, of the reader's first list.
  const pages = view.list ? pagesFor(view.list.id) : pagesForReader(view.subscriber);
  const listName = view.list?.name ?? pages.t('page.everyList', { site: deps.config.site.name });
  // A `manage` link, not a fresh preferences link: this page opens from a link that never expires, so
  // what it hands out may leave lists but adds one only through a new confirmation.
  const preferencesUrl = view.list
    ? managePreferencesUrl(deps, view.subscriber.id, deps.clock.now())
    : undefined;
  return page(
    200,
    pages.unsubscribe({
      action: selfUrl(req),
      listName,
      maskedEmail: maskEmail(view.subscriber.email),
      ...(preferencesUrl ? { preferencesUrl } : {}),
    }),
  );
};

/**
 * POST /unsubscribe: RFC 8058 one-click from a mail provider (plain text) or the page's button (HTML,
 * `Accept: text/html`).
 */
export const postUnsubscribe: Route = async (
  { deps, pagesFor, pagesForReader, log, page, invalidLink, home },
  req,
  token,
) => {
  const fields = await parseFormBody(req.body, req.headers['content-type']);
  const pages = pagesFor(req.query.get('list'));
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  // RFC 8058: the POST body is `List-Unsubscribe=One-Click`. Anything else is not an unsubscribe request.
  if (fields.get('List-Unsubscribe') !== 'One-Click') {
    return wantsHtml
      ? page(
          400,
          pages.message(pages.t('page.nothingChanged'), [pages.t('page.notAnUnsubscribe')], home(pages)),
        )
      : textResponse(400, 'Expected the body List-Unsubscribe=One-Click (RFC 8058).');
  }
  const scope = fields.get('scope') === 'all' ? 'all' : 'list';
  const result = await unsubscribe(deps, {
    token,
    listParam: req.query.get('list'),
    scope,
    via: wantsHtml ? 'unsubscribe-page' : 'one-click',
  });
  if (result.outcome === 'invalid') {
    return wantsHtml
      ? invalidLink(result.problem, req)
      : textResponse(result.problem === 'expired' ? 410 : 400, 'This unsubscribe link is not valid.');
  }
  log('info', 'unsubscribed', {
    subscriberId: result.subscriber.id,
    lists: result.lists.map((l) => l.id),
    via: wantsHtml ? 'unsubscribe-page' : 'one-click',
  });
  const listNames = result.lists.map((l) => l.name).join(', ');
  if (!wantsHtml)
    return textResponse(200, `Unsubscribed from ${listNames || `every ${deps.config.site.name} list`}.`);
  // In the language of the list left (the reader's first list's, when they left every list).
  const done = result.lists.length === 1 ? pagesFor(result.lists[0]?.id) : pagesForReader(result.subscriber);
  const names = listNames || done.t('page.everyList', { site: deps.config.site.name });
  return page(
    200,
    done.message(
      done.t('page.unsubscribedTitle'),
      [
        done.t('page.unsubscribedNoMore', { email: maskEmail(result.subscriber.email), lists: names }),
        done.t('page.changedMind'),
      ],
      [{ href: '/subscribe', text: done.t('page.subscribeAgain') }, ...home(done)],
    ),
  );
};
