import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LambdaEnv, ORIGIN_SECRET_HEADER } from '../adapters/aws/lambda-env.ts';
import { loadCompiledJourney } from '../adapters/fs/compiled-journey.ts';
import { type HttpEvent, toHttpRequest, toLambdaResult } from '../http/lambda-event.ts';
import type { RouteHandler } from '../http/types.ts';
import { pagesLambdaApp, pagesOriginSecret } from '../wiring/lambda-pages.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/**
 * The http function: CloudFront → Function URL → the subscriber pages' route table. With `originSecret`,
 * a request without CloudFront's origin header (someone calling the Function URL directly) gets 403, and the
 * client IP the rate limits see is the viewer's (CloudFront-Viewer-Address), not CloudFront's.
 */
export function makeHttpHandler(
  routes: () => Promise<RouteHandler>,
  originSecret?: () => Promise<string>,
): (event: HttpEvent) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => {
    if (originSecret) {
      const sent = headerOf(event, ORIGIN_SECRET_HEADER);
      if (sent === undefined || !sameSecret(sent, await originSecret())) {
        return {
          statusCode: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'Forbidden\n',
        };
      }
      const viewer = viewerIp(headerOf(event, 'cloudfront-viewer-address'));
      if (viewer)
        event = {
          ...event,
          requestContext: {
            ...event.requestContext,
            http: { ...event.requestContext.http, sourceIp: viewer },
          },
        } as HttpEvent;
    }
    return toLambdaResult(await (await routes())(toHttpRequest(event)));
  };
}

function headerOf(event: HttpEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** `203.0.113.7:46532` → `203.0.113.7`; `[2001:db8::1]:46532` or `2001:db8::1:46532` → `2001:db8::1`. */
export function viewerIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1];
  const colon = address.lastIndexOf(':');
  return colon > 0 ? address.slice(0, colon) : address;
}

let table: Promise<RouteHandler> | undefined;

function lambdaRoutes({ logger }: Observability): Promise<RouteHandler> {
  table ??= (async () => {
    const app = await pagesLambdaApp();
    // Compiled at build time (infra/compile-journey.ts): this bundle carries no mjml.
    const templates = await loadCompiledJourney(process.env[LambdaEnv.JourneyPath]);
    return app.routes({
      templates,
      log: (level: 'info' | 'warn' | 'error', event: string, data: Record<string, unknown> = {}) =>
        logger[level](event, { event, ...data }),
    });
  })();
  table.catch(() => {
    table = undefined;
  });
  return table;
}

const observability = lambdaObservability();
export const handler = makeHttpHandler(() => lambdaRoutes(observability), pagesOriginSecret);
