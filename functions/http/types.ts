import type { JourneyTask } from '../core/subscribers/journey-task.ts';
/**
 * The HTTP shapes the route table speaks. Both the Lambda handler (Function URL / API Gateway v2) and the
 * local dev server (node:http) translate their own request into an `HttpRequest` and write the
 * `HttpResponse` back, so the pages behave the same everywhere.
 */
export interface HttpRequest {
  /** Upper case: GET, POST, HEAD, … */
  readonly method: string;
  /** The path without the query string, e.g. `/unsubscribe`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, decoded to text (empty for GET). */
  readonly body: string;
  /** The client's address as the platform saw it (never taken from a header the client controls). */
  readonly ip: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Handles one request. Never throws: every failure becomes a page. */
export type RouteHandler = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The route table: a RouteHandler that can also run a journey task handed off by an earlier request
 * (HttpDeps.handOff), with the same deps, once its seal holds (journey-task.ts). Never throws either: a
 * failure or a refused seal is logged.
 */
export type RouteTable = RouteHandler & {
  runTask(task: JourneyTask, seal: unknown): Promise<void>;
};
