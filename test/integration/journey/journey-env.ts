// Builds the subscriber pages on the embedded emulators, through functions/wiring/, with a clock
// the test moves. Shared by the journey's integration tests.
import { randomBytes } from 'node:crypto';
import { load } from 'cheerio';
import { simpleParser } from 'mailparser';
import { loadJourneyTemplates } from '../../../functions/adapters/fs/journey-templates.ts';
import type { HttpDeps } from '../../../functions/http/routes.ts';
import type { HttpRequest } from '../../../functions/http/types.ts';
import { readSesStore, type SentMessage } from '../../../functions/local/emulators.ts';
import type { Adapters } from '../../../functions/wiring/adapters.ts';
import { type App, buildApp } from '../../../functions/wiring/app.ts';
import { awsApp } from '../../../functions/wiring/aws-app.ts';
import type { EmulatorContext } from '../../helpers/emulators.ts';
import { aKeyRing, anExampleConfig } from '../../helpers/factories.ts';

/** A clock the test sets. */
export function aClock(start = '2026-11-28T10:00:00.000Z') {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set(iso: string) {
      now = new Date(iso);
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/**
 * The subscriber pages' dependencies on the emulators, taken from the AWS adapter set the composition
 * root builds (wiring/aws.ts: the same SES Query transport as production), with a clock the test moves.
 * Tests that inject a fault replace one field of it.
 */
export async function journeyDeps(
  ctx: EmulatorContext,
  clock = aClock(),
): Promise<HttpDeps & { clock: ReturnType<typeof aClock>; adapters: Adapters }> {
  const { adapters } = awsApp(
    { clients: ctx.clients, tableName: ctx.tableName, sendQueueUrl: ctx.queueUrl },
    { config: anExampleConfig(), clock },
  );
  return {
    config: anExampleConfig(),
    keys: aKeyRing(),
    clock,
    subscribers: adapters.subscribers,
    suppressions: adapters.suppressions,
    mail: adapters.transport,
    templates: await loadJourneyTemplates(anExampleConfig()),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    rateLimits: adapters.rateLimits,
    adapters,
  };
}

/** record-feedback on the same adapter set, through the app the composition root builds. */
export function feedbackApp(deps: HttpDeps & { adapters: Adapters }): Pick<App, 'recordFeedback'> {
  return buildApp(deps.adapters, { config: deps.config, clock: deps.clock });
}

/** A request to the route table, as the dev server or the Lambda handler would make it. */
export function request(
  method: string,
  target: string,
  options: {
    body?: string | Record<string, string | string[]>;
    ip?: string;
    headers?: Record<string, string>;
  } = {},
): HttpRequest {
  const url = new URL(target, 'https://news.example.com');
  let body = '';
  const headers: Record<string, string> = { ...options.headers };
  if (typeof options.body === 'string') body = options.body;
  else if (options.body) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(options.body))
      for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    body = form.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body,
    ip: options.ip ?? '203.0.113.1',
  };
}

/** The messages the SES emulator accepted for one address, oldest first, with their parsed MIME. */
export async function mailTo(ctx: EmulatorContext, address: string) {
  const all = await readSesStore(ctx.emulators.sesStoreUrl);
  const mine = all.filter((m: SentMessage) => m.destinations.includes(address));
  return Promise.all(
    mine.map(async (m) => ({ ...m, parsed: m.raw ? await simpleParser(m.raw) : undefined })),
  );
}

/** The first link in an email's html whose path is `path`, e.g. `/confirm` (attributes decoded). */
export function linkIn(html: string | undefined, path: string): string {
  const $ = load(html ?? '');
  const href = $('a[href]')
    .map((_, a) => $(a).attr('href'))
    .get()
    .find(
      (h) => h.startsWith('https://') && new URL(h).pathname === path && new URL(h).searchParams.has('token'),
    );
  if (!href) throw new Error(`no ${path} link in the email`);
  return href;
}

/**
 * What a reader does with a confirmation link: opens it (GET shows one button) and presses the button
 * (the form's POST). Returns the POST's answer; throws when the page has no such form.
 */
export async function confirmThroughPage(
  routes: (
    req: HttpRequest,
  ) => Promise<{ status: number; body: string; headers: Readonly<Record<string, string>> }>,
  link: string,
  ip?: string,
) {
  const url = new URL(link);
  const page = await routes(request('GET', `${url.pathname}${url.search}`, ip ? { ip } : {}));
  const action = load(page.body)('form[method=post]').attr('action');
  if (page.status !== 200 || !action)
    throw new Error(`no confirm button on ${url.pathname} (${page.status})`);
  return routes(request('POST', action, ip ? { ip } : {}));
}
