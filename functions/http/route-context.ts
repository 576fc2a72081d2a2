import { siteLanguage } from '../core/i18n/language-of.ts';
import { journeyWords } from '../core/render/journey-fill.ts';
import type { JourneyTask } from '../core/subscribers/journey-task.ts';
import type { RateLimitStore } from '../ports/rate-limit-store.ts';
import type { JourneyDeps } from '../use-cases/journey-deps.ts';
import type { LinkProblem } from '../use-cases/token-subject.ts';
import { Pages, type RenderedPage } from './pages.ts';
import { DEFAULT_RATE_LIMITS, type HttpRateLimits } from './rate-limits.ts';
import { htmlResponse } from './responses.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

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
  /**
   * Runs the part of /subscribe and /resend that depends on who the address is (reading the subscriber
   * and the suppression list, writing, mailing) after the answer, so that the answer takes as long for
   * an unknown, a subscribed and a suppressed address (timing would otherwise tell them apart). A
   * long-lived server (`tidings dev`) passes `backgroundTasks().later`. Absent (and no `handOff`): the
   * route awaits the work before answering.
   */
  readonly later?: (task: () => Promise<void>) => void;
  /**
   * Hands that part to another runner and resolves once it is accepted: on Lambda, which is frozen once it
   * returns, an asynchronous invoke of the http function itself (the event carries the JourneyTask; the
   * handler runs it with RouteTable.runTask). Takes precedence over `later`.
   */
  readonly handOff?: (task: JourneyTask) => Promise<void>;
}

/** A link under a page's message. */
export interface PageLink {
  readonly href: string;
  readonly text: string;
}

/** What every route shares, built once per route table: the pages, the limits, the log and the answers. */
export interface RouteContext {
  readonly deps: HttpDeps;
  readonly pages: Pages;
  readonly limits: HttpRateLimits;
  readonly log: HttpLog;
  /** An HTML page with the strict headers (responses.ts) and this table's stylesheet hash. */
  page(
    status: number,
    rendered: RenderedPage,
    extra?: { frameable?: boolean; headers?: Record<string, string> },
  ): HttpResponse;
  /** 410 for an expired link, 400 for any other bad one. */
  invalidLink(problem: LinkProblem): HttpResponse;
  /** 429 with Retry-After. */
  tooMany(retryAfterSeconds: number, embed?: boolean): HttpResponse;
  /** The link back to the site, under most messages. */
  home(): PageLink[];
}

/**
 * One method on one path. `token` is the query's `token`, its signing key already loaded. Throwing is
 * allowed: the route table turns it into a 400, 413 or 500 page.
 */
export type Route = (ctx: RouteContext, req: HttpRequest, token: string | null) => Promise<HttpResponse>;

export function createRouteContext(deps: HttpDeps): RouteContext {
  // The pages speak the site's language, from the strings the compiled journey carries (no catalogues here).
  const pages = new Pages(deps.config, journeyWords(deps.templates, siteLanguage(deps.config)));
  const page: RouteContext['page'] = (status, rendered, extra = {}) =>
    htmlResponse(status, rendered, { styleHash: pages.styleHash, scriptHash: pages.scriptHash, ...extra });
  return {
    deps,
    pages,
    limits: deps.limits ?? DEFAULT_RATE_LIMITS,
    log: deps.log ?? (() => {}),
    page,
    invalidLink: (problem) => page(problem === 'expired' ? 410 : 400, pages.invalidLink(problem)),
    tooMany: (retryAfterSeconds, embed = false) =>
      page(
        429,
        pages.message(
          pages.t('page.tooMany'),
          [
            pages.t('page.tooManyWhy'),
            retryAfterSeconds >= 120
              ? pages.t('page.waitMinutes', { count: Math.ceil(retryAfterSeconds / 60) })
              : pages.t('page.waitSeconds', { count: retryAfterSeconds }),
          ],
          [],
          embed,
        ),
        { frameable: embed, headers: { 'retry-after': String(retryAfterSeconds) } },
      ),
    home: () => [
      { href: deps.config.site.url, text: pages.t('page.backTo', { site: deps.config.site.name }) },
    ],
  };
}

/** The request's own path and query, for forms that post back to where they came from. */
export function selfUrl(req: HttpRequest): string {
  const query = req.query.toString();
  return `${req.path}${query ? `?${query}` : ''}`;
}
