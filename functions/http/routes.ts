import { TidingsError } from '../core/errors.ts';
import { checkEmail } from '../core/subscribers/email.ts';
import { keyIdOf, ringHasKey } from '../core/tokens/tokens.ts';
import type { RateLimitStore } from '../ports/rate-limit-store.ts';
import { confirmSubscription } from '../use-cases/confirm-subscription.ts';
import type { JourneyDeps } from '../use-cases/journey-deps.ts';
import { manageLinks } from '../use-cases/journey-mail.ts';
import { resendLink } from '../use-cases/resend-link.ts';
import { describeFailure, subscribe } from '../use-cases/subscribe.ts';
import { type LinkProblem, subjectOf } from '../use-cases/token-subject.ts';
import { unsubscribe, viewUnsubscribe } from '../use-cases/unsubscribe.ts';
import {
  type PreferencesResult,
  updatePreferences,
  viewPreferences,
} from '../use-cases/update-preferences.ts';
import { field, parseFormBody } from './forms.ts';
import { maskEmail, Pages, type RenderedPage } from './pages.ts';
import { checkLimit, DEFAULT_RATE_LIMITS, type HttpRateLimits, ipSubject } from './rate-limits.ts';
import { htmlResponse, textResponse } from './responses.ts';
import type { HttpRequest, HttpResponse, RouteHandler } from './types.ts';

/** Structured log line: a stable `event` for machines, details for people. Never includes tokens. */
export type HttpLog = (
  level: 'info' | 'warn' | 'error',
  event: string,
  data?: Record<string, unknown>,
) => void;

export interface HttpDeps extends JourneyDeps {
  readonly rateLimits: RateLimitStore;
  /** @default DEFAULT_RATE_LIMITS */
  readonly limits?: HttpRateLimits;
  readonly log?: HttpLog;
}

/** The routes, for docs and for the 405 answer's Allow header. */
export const ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/': ['GET', 'HEAD'],
  '/subscribe': ['GET', 'HEAD', 'POST'],
  '/confirm': ['GET', 'HEAD'],
  '/unsubscribe': ['GET', 'HEAD', 'POST'],
  '/preferences': ['GET', 'HEAD', 'POST'],
  '/resend': ['POST'],
};

const CHECK_INBOX = [
  'We have sent you an email with a link to confirm your subscription. It works for 7 days.',
  'Nothing arrives until you click it. If you do not see it in a few minutes, look in your spam folder.',
];

/**
 * The one route table of the subscriber pages, shared by the Lambda handler and `tidings dev`.
 * It never throws: bad input is a 4xx page, a failure is a 500 page without details, and neither shows a
 * stack trace.
 */
export function createRouteTable(deps: HttpDeps): RouteHandler {
  const pages = new Pages(deps.config);
  const limits = deps.limits ?? DEFAULT_RATE_LIMITS;
  const log: HttpLog = deps.log ?? (() => {});
  const page = (
    status: number,
    rendered: RenderedPage,
    extra: { frameable?: boolean; headers?: Record<string, string> } = {},
  ) => htmlResponse(status, rendered, { styleHash: pages.styleHash, ...extra });
  const invalidLink = (problem: LinkProblem) =>
    page(problem === 'expired' ? 410 : 400, pages.invalidLink(problem));
  const tooMany = (retryAfterSeconds: number, embed = false) =>
    page(
      429,
      pages.message(
        'Too many requests',
        [
          'We received too many requests from you or for this address in a short time.',
          `Please wait ${retryAfterSeconds >= 120 ? `${Math.ceil(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} seconds`} and try again.`,
        ],
        [],
        embed,
      ),
      { frameable: embed, headers: { 'retry-after': String(retryAfterSeconds) } },
    );

  async function route(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const allowed = ROUTES[path];
    if (!allowed)
      return page(404, pages.message('Page not found', ['There is no page at this address.'], home()));
    if (!allowed.includes(req.method)) {
      return page(
        405,
        pages.message('Not allowed', ['This page does not accept that kind of request.'], home()),
        {
          headers: { allow: allowed.join(', ') },
        },
      );
    }
    const token = req.query.get('token');
    // After a key rotation, a link signed by a fresher container names a key this one has not loaded yet.
    const kid = token ? keyIdOf(token) : undefined;
    if (kid && deps.keys.reload && !ringHasKey(deps.keys, kid)) await deps.keys.reload(kid);
    // HEAD is safe (RFC 9110 9.2.1): link checkers and mail scanners send it, so it changes nothing. Every
    // GET view is read-only except /confirm, which HEAD only checks.
    if (req.method === 'HEAD' && path === '/confirm') {
      const subject = await subjectOf(deps, token, 'confirm');
      if (!subject.ok) return invalidLink(subject.problem);
      return page(
        200,
        pages.message('Confirm your subscription', ['Open this link in a browser to confirm.'], home()),
      );
    }
    switch (`${method} ${path}`) {
      case 'GET /':
      case 'GET /subscribe': {
        const embed = req.query.get('embed') === '1';
        const only = req.query.get('list') ?? undefined;
        const known = only && deps.config.lists.some((l) => l.id === only);
        return page(200, pages.subscribe({}, { embed, ...(known ? { only } : {}) }), { frameable: embed });
      }
      case 'POST /subscribe':
        return postSubscribe(req);
      case 'GET /confirm': {
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
      }
      case 'GET /unsubscribe': {
        const view = await viewUnsubscribe(deps, { token, listParam: req.query.get('list') });
        if (view.outcome === 'invalid') return invalidLink(view.problem);
        const listName = view.list?.name ?? `every ${deps.config.site.name} list`;
        const links = view.list
          ? manageLinks(deps, view.subscriber.id, view.list.id, deps.clock.now())
          : undefined;
        return page(
          200,
          pages.unsubscribe({
            action: selfUrl(req),
            listName,
            maskedEmail: maskEmail(view.subscriber.email),
            ...(links ? { preferencesUrl: links.preferencesUrl } : {}),
          }),
        );
      }
      case 'POST /unsubscribe':
        return postUnsubscribe(req, token);
      case 'GET /preferences':
        return preferencesPage(req, await viewPreferences(deps, token), false);
      case 'POST /preferences': {
        const fields = await parseFormBody(req.body, req.headers['content-type']);
        const cadences: Record<string, 'instant' | 'daily' | 'weekly'> = {};
        for (const list of deps.config.lists) {
          const c = fields.get(`cadence-${list.id}`);
          if (c === 'instant' || c === 'daily' || c === 'weekly') cadences[list.id] = c;
        }
        const result = await updatePreferences(deps, {
          token,
          name: field(fields, 'name', 200),
          lists: fields.getAll('list'),
          cadences,
          unsubscribeAll: fields.get('action') === 'unsubscribe-all',
          ip: req.ip,
        });
        if (result.outcome === 'ready')
          log('info', 'preferences-updated', { subscriberId: result.subscriber.id });
        return preferencesPage(req, result, true);
      }
      case 'POST /resend':
        return postResend(req);
      default:
        return page(404, pages.message('Page not found', ['There is no page at this address.'], home()));
    }
  }

  async function postSubscribe(req: HttpRequest): Promise<HttpResponse> {
    const now = deps.clock.now();
    const fields = await parseFormBody(req.body, req.headers['content-type']);
    const embed = fields.get('embed') === '1';
    const byIp = await checkLimit(deps.rateLimits, limits.perIp, ipSubject(req.ip), now);
    if (!byIp.allowed) {
      log('warn', 'rate-limited', { route: 'subscribe', scope: 'ip' });
      return tooMany(byIp.retryAfterSeconds, embed);
    }
    const done = page(200, pages.message('Check your inbox', CHECK_INBOX, [], embed), { frameable: embed });
    // A bot filled the hidden field: answer as if it worked, do nothing.
    if (field(fields, 'website') !== '') {
      log('info', 'honeypot', { route: 'subscribe' });
      return done;
    }
    const email = field(fields, 'email', 320);
    const name = field(fields, 'name', 500);
    const lists = fields.getAll('list');
    const verdict = checkEmail(email);
    if (verdict.ok) {
      const byAddress = await checkLimit(
        deps.rateLimits,
        limits.perAddress,
        `email:${verdict.email.toLowerCase()}`,
        now,
      );
      if (!byAddress.allowed) {
        log('warn', 'rate-limited', { route: 'subscribe', scope: 'address' });
        return tooMany(byAddress.retryAfterSeconds, embed);
      }
    }
    const result = await subscribe(deps, {
      email,
      ...(name ? { name } : {}),
      lists,
      ip: req.ip,
      source: `${deps.config.publicUrl.replace(/\/+$/, '')}/subscribe${embed ? '?embed=1' : ''}`,
    });
    if (result.outcome === 'invalid') {
      return page(400, pages.subscribe({ email, name, lists, error: result.message }, { embed }), {
        frameable: embed,
      });
    }
    // Same answer as a success: the pending record is written; a resubmit or /resend sends it again.
    if (result.confirmation === 'failed') {
      log('error', 'confirmation-send-failed', { route: 'subscribe', failure: result.failure });
    }
    return done;
  }

  async function postUnsubscribe(req: HttpRequest, token: string | null): Promise<HttpResponse> {
    const fields = await parseFormBody(req.body, req.headers['content-type']);
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    // RFC 8058: the POST body is `List-Unsubscribe=One-Click`. Anything else is not an unsubscribe request.
    if (fields.get('List-Unsubscribe') !== 'One-Click') {
      return wantsHtml
        ? page(400, pages.message('Nothing changed', ['This request did not ask to unsubscribe.'], home()))
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
        ? invalidLink(result.problem)
        : textResponse(result.problem === 'expired' ? 410 : 400, 'This unsubscribe link is not valid.');
    }
    log('info', 'unsubscribed', {
      subscriberId: result.subscriber.id,
      lists: result.lists.map((l) => l.id),
      via: wantsHtml ? 'unsubscribe-page' : 'one-click',
    });
    const names = result.lists.map((l) => l.name).join(', ') || `every ${deps.config.site.name} list`;
    if (!wantsHtml) return textResponse(200, `Unsubscribed from ${names}.`);
    return page(
      200,
      pages.message(
        'You are unsubscribed',
        [
          `${maskEmail(result.subscriber.email)} will get no more emails from ${names}.`,
          'Changed your mind? You can subscribe again at any time.',
        ],
        [{ href: '/subscribe', text: 'Subscribe again' }, ...home()],
      ),
    );
  }

  async function postResend(req: HttpRequest): Promise<HttpResponse> {
    const now = deps.clock.now();
    const fields = await parseFormBody(req.body, req.headers['content-type']);
    const byIp = await checkLimit(deps.rateLimits, limits.perIp, ipSubject(req.ip), now);
    if (!byIp.allowed) return tooMany(byIp.retryAfterSeconds);
    const done = page(
      200,
      pages.message(
        'Check your inbox',
        [
          'If that address is on one of our lists, we have sent it a fresh link.',
          'If nothing arrives in a few minutes, look in your spam folder, or subscribe again.',
        ],
        [{ href: '/subscribe', text: 'Subscribe' }],
      ),
    );
    if (field(fields, 'website') !== '') return done;
    const verdict = checkEmail(field(fields, 'email', 320));
    if (!verdict.ok) return done;
    const byAddress = await checkLimit(
      deps.rateLimits,
      limits.perAddress,
      `email:${verdict.email.toLowerCase()}`,
      now,
    );
    if (!byAddress.allowed) return tooMany(byAddress.retryAfterSeconds);
    try {
      await resendLink(deps, { email: verdict.email });
    } catch (error) {
      // The same answer as for an unknown address: a 500 here would tell that this one is known.
      log('error', 'confirmation-send-failed', { route: 'resend', failure: describeFailure(error) });
    }
    return done;
  }

  function preferencesPage(req: HttpRequest, result: PreferencesResult, saved: boolean): HttpResponse {
    if (result.outcome === 'invalid') return invalidLink(result.problem);
    return page(
      200,
      pages.preferences({
        action: selfUrl(req),
        maskedEmail: maskEmail(result.subscriber.email),
        name: result.subscriber.name ?? '',
        lists: result.lists,
        saved,
      }),
    );
  }

  function home() {
    return [{ href: deps.config.site.url, text: `Back to ${deps.config.site.name}` }];
  }

  return async (req) => {
    try {
      const res = await route(req);
      return req.method === 'HEAD' ? { ...res, body: '' } : res;
    } catch (error) {
      if (error instanceof TidingsError && error.code.startsWith('BODY_')) {
        return page(
          error.code === 'BODY_TOO_LARGE' ? 413 : 400,
          pages.message(
            'Something is wrong with that request',
            ['The form could not be read. Please go back and try again.'],
            home(),
          ),
        );
      }
      log('error', 'http-error', {
        path: req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return page(
        500,
        pages.message(
          'Something went wrong on our side',
          ['Nothing you did caused this. Please try again in a minute.'],
          home(),
        ),
      );
    }
  };
}

/** The request's own path and query, for forms that post back to where they came from. */
function selfUrl(req: HttpRequest): string {
  const query = req.query.toString();
  return `${req.path}${query ? `?${query}` : ''}`;
}
