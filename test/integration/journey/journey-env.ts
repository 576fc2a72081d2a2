// Builds the subscriber pages on the embedded emulators, the way functions/wiring.ts does, with a clock
// the test moves. Shared by the journey's integration tests.
import { randomBytes } from 'node:crypto';
import { load } from 'cheerio';
import { simpleParser } from 'mailparser';
import { DynamoDeliveryLedger } from '../../../functions/adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoFeedbackStore } from '../../../functions/adapters/aws/dynamo-feedback-store.ts';
import { DynamoRateLimitStore } from '../../../functions/adapters/aws/dynamo-rate-limit-store.ts';
import { DynamoSendingPauseStore } from '../../../functions/adapters/aws/dynamo-sending-pause-store.ts';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../../functions/adapters/aws/dynamo-suppression-store.ts';
import { sesClientFor } from '../../../functions/adapters/aws/ses-client.ts';
import { readSesStore, type SentMessage } from '../../../functions/adapters/local/emulators.ts';
import { loadJourneyTemplates } from '../../../functions/adapters/local/journey-templates.ts';
import { DELIVERY_TAG_NAMES } from '../../../functions/core/editions/edition-id.ts';
import type { HttpDeps } from '../../../functions/http/routes.ts';
import type { HttpRequest } from '../../../functions/http/types.ts';
import type { RecordFeedbackDeps } from '../../../functions/use-cases/record-feedback.ts';
import type { EmulatorContext } from '../../helpers/emulators.ts';
import { aKeyRing, anExampleConfig } from '../../helpers/factories.ts';
import { SesMailTransport } from '../../oracles/ses-mail-transport.ts';

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

export async function journeyDeps(
  ctx: EmulatorContext,
  clock = aClock(),
): Promise<HttpDeps & { clock: ReturnType<typeof aClock> }> {
  const dynamo = { doc: ctx.clients.doc, tableName: ctx.tableName };
  return {
    config: anExampleConfig(),
    keys: aKeyRing(),
    clock,
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    mail: new SesMailTransport({ ses: sesClientFor(ctx.clients) }),
    templates: await loadJourneyTemplates(),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    rateLimits: new DynamoRateLimitStore(dynamo),
  };
}

export function feedbackDeps(ctx: EmulatorContext, deps: HttpDeps): RecordFeedbackDeps {
  const dynamo = { doc: ctx.clients.doc, tableName: ctx.tableName };
  return {
    config: deps.config,
    clock: deps.clock,
    ledger: new DynamoDeliveryLedger(dynamo),
    suppressions: deps.suppressions,
    subscribers: deps.subscribers,
    feedback: new DynamoFeedbackStore(dynamo),
    pauses: new DynamoSendingPauseStore(dynamo),
    tagNames: DELIVERY_TAG_NAMES,
  };
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
