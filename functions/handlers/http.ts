import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { LambdaEnv, requireEnv } from '../adapters/aws/lambda-env.ts';
import { loadJourneyTemplates } from '../adapters/local/journey-templates.ts';
import { createRouteTable } from '../http/routes.ts';
import type { HttpRequest, HttpResponse, RouteHandler } from '../http/types.ts';
import { lambdaApp, wireJourney } from '../wiring.ts';
import { lambdaObservability, type Observability } from './observability.ts';

/** A Function URL event and an API Gateway HTTP API (payload 2.0) event have the same shape. */
export type HttpEvent = LambdaFunctionURLEvent | APIGatewayProxyEventV2;

/** The platform's request as the route table's request. The client IP is the one the platform saw. */
export function toHttpRequest(event: HttpEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath || '/',
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
    ip: event.requestContext.http.sourceIp,
  };
}

/** The route table's response as the platform's. No cookies, ever. */
export function toLambdaResult(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    body: response.body,
    isBase64Encoded: false,
  };
}

/** The http function: Function URL (or HTTP API) → the subscriber pages' route table. */
export function makeHttpHandler(
  routes: () => Promise<RouteHandler>,
): (event: HttpEvent) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => toLambdaResult(await (await routes())(toHttpRequest(event)));
}

let table: Promise<RouteHandler> | undefined;

function lambdaRoutes({ logger }: Observability): Promise<RouteHandler> {
  table ??= (async () => {
    const app = await lambdaApp({ needsKeyRing: true });
    const templates = await loadJourneyTemplates(process.env[LambdaEnv.TemplatesDir]);
    return createRouteTable(
      wireJourney(app, {
        tableName: requireEnv(LambdaEnv.TableName),
        templates,
        log: (level: 'info' | 'warn' | 'error', event: string, data: Record<string, unknown> = {}) =>
          logger[level](event, { event, ...data }),
      }),
    );
  })();
  table.catch(() => {
    table = undefined;
  });
  return table;
}

const observability = lambdaObservability();
export const handler = makeHttpHandler(() => lambdaRoutes(observability));
