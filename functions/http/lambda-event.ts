import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { MAX_BODY_BYTES } from './forms.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

// The Lambda side of the http layer: a Function URL (or HTTP API) event as the route table's request, and its
// response as the platform's. Used by the http function and by the publish function's URL.

/** A Function URL event and an API Gateway HTTP API (payload 2.0) event have the same shape. */
export type HttpEvent = LambdaFunctionURLEvent | APIGatewayProxyEventV2;

/** The platform's request as the route table's request. The client IP is the one the platform saw. */
export function toHttpRequest(event: HttpEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  // Only what the route table may read: MAX_BODY_BYTES + 1 bytes is enough for its 413 page, so a 6 MB
  // body is never decoded whole.
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body.slice(0, Math.ceil((MAX_BODY_BYTES + 1) / 3) * 4), 'base64').toString('utf8')
      : event.body.slice(0, MAX_BODY_BYTES + 1)
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
