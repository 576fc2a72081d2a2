import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeHttpHandler } from '../../../functions/handlers/http.ts';
import { createRouteTable, type HttpDeps } from '../../../functions/http/routes.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { type aClock, journeyDeps, linkIn, mailTo } from '../journey/journey-env.ts';

// The http function on the emulators, driven by Lambda Function URL requests (payload format 2.0, the
// shape AWS delivers; authType NONE, so no authorizer block). The route table is wired to the emulators
// the way the journey tests wire it (test/integration/journey/journey-env.ts).

const env = useEmulators();
let deps: HttpDeps & { clock: ReturnType<typeof aClock> };
let handler: ReturnType<typeof makeHttpHandler>;

beforeAll(async () => {
  deps = await journeyDeps(env());
  const routes = createRouteTable(deps);
  handler = makeHttpHandler(async () => routes);
});

const DOMAIN = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws';

/** A Function URL request as Lambda delivers it. `target` is a path with its query string. */
function functionUrlEvent(
  method: 'GET' | 'POST',
  target: string,
  options: {
    body?: string;
    base64?: boolean;
    headers?: Record<string, string>;
    sourceIp?: string;
    cookies?: string[];
  } = {},
): LambdaFunctionURLEvent {
  const url = new URL(target, `https://${DOMAIN}`);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const sourceIp = options.sourceIp ?? '203.0.113.7';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: {
      host: DOMAIN,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
      accept: 'text/html,application/xhtml+xml',
      'x-forwarded-for': sourceIp,
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-amzn-trace-id': 'Root=1-67a1b2c3-0123456789abcdef01234567',
      ...options.headers,
    },
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: DOMAIN,
      domainPrefix: 'abcdefghijklmnop',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      },
      requestId: 'b1a7f0e2-0000-4000-8000-000000000002',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795860000000,
    },
    ...(options.body === undefined
      ? {}
      : { body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body }),
    isBase64Encoded: options.base64 ?? false,
  };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('the http handler (Function URL)', () => {
  it('serves the subscribe form on GET /subscribe', async () => {
    // Act
    const res = await handler(functionUrlEvent('GET', '/subscribe?list=essays'));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/html/);
    expect(res.headers?.['set-cookie']).toBeUndefined();
    expect(res.cookies).toBeUndefined();
    const $ = load(res.body ?? '');
    expect($('form[method=post] input[name=email]').length).toBe(1);
  });

  it('takes an urlencoded POST /subscribe (base64 body), records consent from the caller’s IP and emails a confirmation link', async () => {
    // Act
    const res = await handler(
      functionUrlEvent('POST', '/subscribe', {
        body: new URLSearchParams({ email: 'ada@example.org', list: 'essays', name: 'Ada' }).toString(),
        base64: true,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        sourceIp: '198.51.100.20',
      }),
    );
    // Assess
    expect(res.statusCode).toBe(200);
    expect(load(res.body ?? '')('h1').text()).toBe('Check your inbox');
    expect((await deps.subscribers.getByEmail('ada@example.org'))?.lists.essays).toMatchObject({
      status: 'pending',
      consent: { method: 'double-opt-in', ip: '198.51.100.20' },
    });
    const mail = await mailTo(env(), 'ada@example.org');
    expect(mail).toHaveLength(1);
    expect(linkIn(mail[0]?.html, '/confirm')).toMatch(
      /^https:\/\/news\.signal-noise\.example\.com\/confirm\?/,
    );
  });

  it('unsubscribes on POST /unsubscribe with List-Unsubscribe=One-Click: a plain 200, no Location, no cookie', async () => {
    // Prepare: subscribe and confirm through the handler, then take the unsubscribe link from the welcome email
    await handler(
      functionUrlEvent('POST', '/subscribe', {
        body: 'email=oneclick%40example.org&list=podcast',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        sourceIp: '198.51.100.21',
      }),
    );
    const confirm = linkIn((await mailTo(env(), 'oneclick@example.org')).at(-1)?.html, '/confirm');
    const shown = await handler(functionUrlEvent('GET', pathOf(confirm)));
    expect(shown.statusCode).toBe(200);
    expect((await deps.subscribers.getByEmail('oneclick@example.org'))?.lists.podcast?.status).toBe(
      'pending',
    );
    const confirmed = await handler(functionUrlEvent('POST', pathOf(confirm)));
    expect(confirmed.statusCode).toBe(200);
    expect((await deps.subscribers.getByEmail('oneclick@example.org'))?.lists.podcast?.status).toBe(
      'subscribed',
    );
    const welcome = (await mailTo(env(), 'oneclick@example.org')).at(-1);
    const unsubscribe = linkIn(welcome?.html, '/unsubscribe');

    // Act: what a mailbox provider sends (RFC 8058), from its own IP, with no cookies
    const res = await handler(
      functionUrlEvent('POST', pathOf(unsubscribe), {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
        sourceIp: '209.85.220.41',
      }),
    );

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(Object.keys(res.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('location');
    expect(Object.keys(res.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('set-cookie');
    expect(res.cookies).toBeUndefined();
    expect((await deps.subscribers.getByEmail('oneclick@example.org'))?.lists.podcast).toMatchObject({
      status: 'unsubscribed',
      unsubscribeReason: 'one-click',
    });
  });
});
