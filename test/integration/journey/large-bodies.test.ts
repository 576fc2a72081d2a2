// A body far larger than any form: the 413 page, never a connection reset, on the dev server and
// through the Lambda event (base64 or not). On the emulators, through the route table.

import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHttpRequest } from '../../../functions/http/lambda-event.ts';
import { createRouteTable } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { type DevServer, startDevServer } from '../../../functions/local/dev-server.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { journeyDeps, mailTo } from './journey-env.ts';

const env = useEmulators();
let deps: Awaited<ReturnType<typeof journeyDeps>>;
let routes: RouteHandler;
let server: DevServer;

beforeAll(async () => {
  deps = await journeyDeps(env());
  routes = createRouteTable(deps);
  server = await startDevServer({ routes });
});
afterAll(async () => {
  await server?.close();
});

/** A form body of about `bytes` bytes that would subscribe big@example.org if it were read. */
const bigForm = (bytes: number) => `email=big%40example.org&list=podcast&name=${'a'.repeat(bytes)}`;

function lambdaEvent(body: string, base64: boolean): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/subscribe',
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'x',
      domainName: 'news.example.com',
      domainPrefix: 'news',
      http: {
        method: 'POST',
        path: '/subscribe',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.77',
        userAgent: 'test',
      },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795860000000,
    },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
}

describe('a 10 MB POST', () => {
  it('gets the 413 page from the dev server, not a connection reset, and subscribes no one', async () => {
    // Act
    const res = await fetch(`${server.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: bigForm(10 * 1024 * 1024),
    });
    const html = await res.text();
    // Assess
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(load(html)('h1').text()).toBe('Something is wrong with that request');
    expect(await deps.subscribers.getByEmail('big@example.org')).toBeUndefined();
    expect(await mailTo(env(), 'big@example.org')).toHaveLength(0);
  });

  it('gets the 413 page through the Lambda event, base64 or not', async () => {
    // Act: a Function URL takes up to 6 MB; 5 MB of form, plain and base64.
    const plain = await routes(toHttpRequest(lambdaEvent(bigForm(5 * 1024 * 1024), false)));
    const encoded = await routes(toHttpRequest(lambdaEvent(bigForm(4 * 1024 * 1024), true)));
    // Assess
    for (const res of [plain, encoded]) {
      expect(res.status).toBe(413);
      expect(load(res.body)('h1').text()).toBe('Something is wrong with that request');
    }
    expect(await deps.subscribers.getByEmail('big@example.org')).toBeUndefined();
  });

  it('keeps a POST at the limit working: a small base64 form still subscribes', async () => {
    // Act
    const res = await routes(toHttpRequest(lambdaEvent('email=small%40example.org&list=podcast', true)));
    // Assess
    expect(res.status).toBe(200);
    expect((await deps.subscribers.getByEmail('small@example.org'))?.lists.podcast?.status).toBe('pending');
  });
});
