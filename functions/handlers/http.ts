import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LambdaEnv } from '../adapters/aws/lambda-env.ts';
import { loadCompiledJourney } from '../adapters/fs/compiled-journey.ts';
import { type HttpEvent, toHttpRequest, toLambdaResult } from '../http/lambda-event.ts';
import type { RouteHandler } from '../http/types.ts';
import { pagesLambdaApp } from '../wiring/lambda-pages.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** The http function: Function URL (or HTTP API) → the subscriber pages' route table. */
export function makeHttpHandler(
  routes: () => Promise<RouteHandler>,
): (event: HttpEvent) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => toLambdaResult(await (await routes())(toHttpRequest(event)));
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
export const handler = makeHttpHandler(() => lambdaRoutes(observability));
