import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LambdaEnv, ORIGIN_SECRET_HEADER } from '../adapters/aws/lambda-env.ts';
import { loadCompiledJourney } from '../adapters/fs/compiled-journey.ts';
import { type HttpEvent, toHttpRequest, toLambdaResult } from '../http/lambda-event.ts';
import { fromCloudFront } from '../http/origin-guard.ts';
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
    const forwarded = originSecret
      ? fromCloudFront(event, ORIGIN_SECRET_HEADER, await originSecret())
      : event;
    if (!forwarded) {
      return {
        statusCode: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: 'Forbidden\n',
      };
    }
    return toLambdaResult(await (await routes())(toHttpRequest(forwarded)));
  };
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
