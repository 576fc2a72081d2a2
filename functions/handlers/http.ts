import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LambdaEnv, ORIGIN_SECRET_HEADER } from '../adapters/aws/lambda-env.ts';
import { loadCompiledJourney } from '../adapters/fs/compiled-journey.ts';
import { journeySealOf, journeyTaskOf } from '../core/subscribers/journey-task.ts';
import { type HttpEvent, toHttpRequest, toLambdaResult } from '../http/lambda-event.ts';
import { fromCloudFront } from '../http/origin-guard.ts';
import type { RouteTable } from '../http/types.ts';
import { pagesJourneyHandOff, pagesLambdaApp, pagesOriginSecret } from '../wiring/lambda-pages.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/**
 * The http function: CloudFront → Function URL → the subscriber pages' route table. With `originSecret`,
 * a request without CloudFront's origin header (someone calling the Function URL directly) gets 403, and the
 * client IP the rate limits see is the viewer's (CloudFront-Viewer-Address), not CloudFront's.
 */
export function makeHttpHandler(
  routes: () => Promise<RouteTable>,
  originSecret?: () => Promise<string>,
): (event: HttpEvent) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => {
    // An asynchronous invoke from this function itself (HttpDeps.handOff): the rest of a /subscribe or
    // /resend whose answer has already gone. Only an invoke can carry one; a Function URL event cannot.
    // runTask runs it only if its seal holds: an invoke does not say who made it.
    const task = journeyTaskOf(event);
    if (task) {
      await (await routes()).runTask(task, journeySealOf(event));
      return { statusCode: 204 };
    }
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

let table: Promise<RouteTable> | undefined;

function lambdaRoutes({ logger }: Observability): Promise<RouteTable> {
  table ??= (async () => {
    const app = await pagesLambdaApp();
    // Compiled at build time (infra/compile-journey.ts): this bundle carries no mjml.
    const templates = await loadCompiledJourney(process.env[LambdaEnv.JourneyPath]);
    const handOff = pagesJourneyHandOff();
    return app.routes({
      templates,
      ...(handOff ? { handOff } : {}),
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
