import { InvalidInputError, TidingsError } from '../core/errors.ts';
import type { JourneyTask } from '../core/subscribers/journey-task.ts';
import { keyIdOf, ringHasKey } from '../core/tokens/tokens.ts';
import { MAX_BODY_BYTES } from './forms.ts';
import { runHandedTask } from './journey-tasks.ts';
import { createRouteContext, type HttpDeps, type Route } from './route-context.ts';
import { getConfirm, postConfirm } from './routes/confirm.ts';
import { getPreferences, postPreferences } from './routes/preferences.ts';
import { postResend } from './routes/resend.ts';
import { getSubscribe, postSubscribe } from './routes/subscribe.ts';
import { getUnsubscribe, postUnsubscribe } from './routes/unsubscribe.ts';
import type { HttpRequest, HttpResponse, RouteHandler, RouteTable } from './types.ts';

export type { HttpDeps, HttpLog } from './route-context.ts';

/** The routes of one path. HEAD runs GET's (its body dropped) unless the path has a HEAD of its own. */
interface PathRoutes {
  readonly GET?: Route;
  readonly HEAD?: Route;
  readonly POST?: Route;
}

// HEAD is safe (RFC 9110 9.2.1): link checkers and mail scanners send it, so it changes nothing. Every GET
// is read-only, /confirm's too (it shows a button that POSTs): scanners follow every link in a mail.
const TABLE: Readonly<Record<string, PathRoutes>> = {
  '/': { GET: getSubscribe },
  '/subscribe': { GET: getSubscribe, POST: postSubscribe },
  '/confirm': { GET: getConfirm, POST: postConfirm },
  '/unsubscribe': { GET: getUnsubscribe, POST: postUnsubscribe },
  '/preferences': { GET: getPreferences, POST: postPreferences },
  '/resend': { POST: postResend },
};

/** The routes, for docs and for the 405 answer's Allow header. */
export const ROUTES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(TABLE).map(([path, routes]) => [
    path,
    [...(routes.GET ? ['GET', 'HEAD'] : []), ...(routes.POST ? ['POST'] : [])],
  ]),
);

/**
 * The one route table of the subscriber pages, shared by the Lambda handler and `tidings dev`.
 * It never throws: bad input is a 4xx page, a failure is a 500 page without details, and neither shows a
 * stack trace.
 */
export function createRouteTable(deps: HttpDeps): RouteTable {
  const ctx = createRouteContext(deps);
  const { pages, page, home, log } = ctx;
  const notFound = () =>
    page(404, pages.message(pages.t('page.notFound'), [pages.t('page.notFoundWhy')], home()));

  async function route(req: HttpRequest): Promise<HttpResponse> {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const allowed = ROUTES[path];
    const routes = TABLE[path];
    if (!allowed || !routes) return notFound();
    if (!allowed.includes(req.method)) {
      return page(405, pages.message(pages.t('page.notAllowed'), [pages.t('page.notAllowedWhy')], home()), {
        headers: { allow: allowed.join(', ') },
      });
    }
    // Before any route: a body larger than any form is refused whole, whatever the route reads of it.
    if (Buffer.byteLength(req.body, 'utf8') > MAX_BODY_BYTES) {
      throw new InvalidInputError('BODY_TOO_LARGE', `request body: larger than ${MAX_BODY_BYTES} bytes`);
    }
    const token = req.query.get('token');
    // After a key rotation, a link signed by a fresher container names a key this one has not loaded yet.
    const kid = token ? keyIdOf(token) : undefined;
    if (kid && deps.keys.reload && !ringHasKey(deps.keys, kid)) await deps.keys.reload(kid);
    const handler =
      req.method === 'POST' ? routes.POST : req.method === 'HEAD' ? (routes.HEAD ?? routes.GET) : routes.GET;
    return handler ? handler(ctx, req, token) : notFound();
  }

  const handle: RouteHandler = async (req) => {
    try {
      const res = await route(req);
      return req.method === 'HEAD' ? { ...res, body: '' } : res;
    } catch (error) {
      if (error instanceof TidingsError && error.code.startsWith('BODY_')) {
        return page(
          error.code === 'BODY_TOO_LARGE' ? 413 : 400,
          pages.message(pages.t('page.badRequest'), [pages.t('page.badRequestWhy')], home()),
        );
      }
      log('error', 'http-error', {
        path: req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return page(500, pages.message(pages.t('page.serverError'), [pages.t('page.serverErrorWhy')], home()));
    }
  };
  return Object.assign(handle, {
    runTask: (task: JourneyTask, seal: unknown) => runHandedTask(ctx, task, seal),
  });
}
