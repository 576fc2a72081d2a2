import { listLanguage, siteLanguage } from '../core/i18n/language-of.ts';
import { journeyWords } from '../core/render/journey-fill.ts';
import type { JourneyTask } from '../core/subscribers/journey-task.ts';
import type { Subscriber } from '../core/subscribers/model.ts';
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
   * returns, an asynchronous invoke of the http function itself (the event carries the JourneyTask and its
   * seal, journey-task.ts; the handler runs it with RouteTable.runTask, which checks the seal). Takes
   * precedence over `later`.
   */
  readonly handOff?: (task: JourneyTask, seal: string) => Promise<void>;
}

/** A link under a page's message. */
export interface PageLink {
  readonly href: string;
  readonly text: string;
}

/** What every route shares, built once per route table: the pages, the limits, the log and the answers. */
export interface RouteContext {
  readonly deps: HttpDeps;
  /** The pages in the site's language (the first list's): for what concerns no one list. */
  readonly pages: Pages;
  /**
   * The pages in the language of the first of `lists` the config knows (that list's `language`), else the
   * site's: a page about a list speaks that list's language.
   */
  pagesFor(lists: readonly string[] | string | null | undefined): Pages;
  /**
   * The pages in the language of a reader's first list (in the config's order; one they are in before one
   * they left), else the site's: for a page about every list of one reader.
   */
  pagesForReader(subscriber: Pick<Subscriber, 'lists'>): Pages;
  readonly limits: HttpRateLimits;
  readonly log: HttpLog;
  /** An HTML page with the strict headers (responses.ts) and this table's stylesheet hash. */
  page(
    status: number,
    rendered: RenderedPage,
    extra?: { frameable?: boolean; headers?: Record<string, string> },
  ): HttpResponse;
  /** 410 for an expired link, 400 for any other bad one; in the language of the link's `list`, if any. */
  invalidLink(problem: LinkProblem, req?: HttpRequest): HttpResponse;
  /** 429 with Retry-After (in the site's language unless `pages` says otherwise). */
  tooMany(retryAfterSeconds: number, embed?: boolean, pages?: Pages): HttpResponse;
  /** The link back to the site, under most messages, in the pages' language (default: the site's). */
  home(pages?: Pages): PageLink[];
}

/**
 * One method on one path. `token` is the query's `token`, its signing key already loaded. Throwing is
 * allowed: the route table turns it into a 400, 413 or 500 page.
 */
export type Route = (ctx: RouteContext, req: HttpRequest, token: string | null) => Promise<HttpResponse>;

export function createRouteContext(deps: HttpDeps): RouteContext {
  // The pages speak a list's language, from the strings the compiled journey carries (no catalogues here):
  // one Pages per language, made when first asked for.
  const byLanguage = new Map<string, Pages>();
  const pagesIn = (language: string) => {
    let made = byLanguage.get(language);
    if (!made) {
      made = new Pages(deps.config, journeyWords(deps.templates, language));
      byLanguage.set(language, made);
    }
    return made;
  };
  const pages = pagesIn(siteLanguage(deps.config));
  const pagesFor: RouteContext['pagesFor'] = (lists) => {
    const ids = typeof lists === 'string' ? [lists] : (lists ?? []);
    const list = ids.map((id) => deps.config.lists.find((l) => l.id === id)).find((l) => l);
    return list ? pagesIn(listLanguage(deps.config, list)) : pages;
  };
  const pagesForReader: RouteContext['pagesForReader'] = (subscriber) => {
    const theirs = deps.config.lists.filter((l) => subscriber.lists[l.id]);
    const current = theirs.find((l) => subscriber.lists[l.id]?.status !== 'unsubscribed');
    return pagesFor((current ?? theirs[0])?.id);
  };
  // The page's stylesheet hash: the pages of a right-to-left language have their own stylesheet.
  const page: RouteContext['page'] = (status, rendered, extra = {}) =>
    htmlResponse(status, rendered, {
      styleHash: rendered.styleHash,
      scriptHash: pages.scriptHash,
      ...extra,
    });
  return {
    deps,
    pages,
    pagesFor,
    pagesForReader,
    limits: deps.limits ?? DEFAULT_RATE_LIMITS,
    log: deps.log ?? (() => {}),
    page,
    invalidLink: (problem, req) =>
      page(problem === 'expired' ? 410 : 400, pagesFor(req?.query.get('list')).invalidLink(problem)),
    tooMany: (retryAfterSeconds, embed = false, words = pages) =>
      page(
        429,
        words.message(
          words.t('page.tooMany'),
          [
            words.t('page.tooManyWhy'),
            retryAfterSeconds >= 120
              ? words.t('page.waitMinutes', { count: Math.ceil(retryAfterSeconds / 60) })
              : words.t('page.waitSeconds', { count: retryAfterSeconds }),
          ],
          [],
          embed,
        ),
        { frameable: embed, headers: { 'retry-after': String(retryAfterSeconds) } },
      ),
    home: (words = pages) => [
      { href: deps.config.site.url, text: words.t('page.backTo', { site: deps.config.site.name }) },
    ],
  };
}

/** The request's own path and query, for forms that post back to where they came from. */
export function selfUrl(req: HttpRequest): string {
  const query = req.query.toString();
  return `${req.path}${query ? `?${query}` : ''}`;
}
