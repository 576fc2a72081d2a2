import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadJourneyTemplates } from '../adapters/fs/journey-templates.ts';
import { backgroundTasks } from '../http/background.ts';
import { MAX_BODY_BYTES } from '../http/forms.ts';
import type { HttpRequest, RouteHandler } from '../http/types.ts';
import type { App } from '../wiring/app.ts';
import { withArchive } from './archive-route.ts';
import { listenOn } from './listen.ts';

export interface DevServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the subscriber pages' route table (the same one the http Lambda uses) with node:http on
 * 127.0.0.1. Give it the route table (`app.routes()`); port 0 picks a free one.
 */
export async function startDevServer(options: {
  readonly routes: RouteHandler;
  readonly port?: number;
}): Promise<DevServer> {
  const { routes } = options;
  const server = createServer((req, res) => {
    void serve(routes, req, res);
  });
  await listenOn(server, options.port ?? 0, 'the subscriber pages');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The subscriber pages as a `tidings dev` service: the route table wired against the local stack's app
 * (same table, same SES emulator), served on 127.0.0.1. `tidings dev` gives the app a config whose
 * `publicUrl` is this server (wiring/local.ts, withLocalPages), so the emails' links open here.
 */
export async function startJourneyDevService(ctx: {
  readonly stack: { readonly app: Pick<App, 'routes' | 'config'> };
  readonly port?: number;
  /** Where publish writes the web archive; served at /archive/. */
  readonly archiveDir?: string;
}): Promise<{ readonly name: string; readonly url: string; stop(): Promise<void> }> {
  const templates = await loadJourneyTemplates(ctx.stack.app.config);
  // A long-lived server: /subscribe and /resend answer first and mail after (the same answer time for
  // every address), and stop() waits for that work.
  const tasks = backgroundTasks();
  const pages = ctx.stack.app.routes({ templates, later: tasks.later });
  const routes = ctx.archiveDir ? withArchive(ctx.archiveDir, pages) : pages;
  const server = await startDevServer({ routes, ...(ctx.port !== undefined ? { port: ctx.port } : {}) });
  return {
    name: 'http',
    url: server.url,
    stop: async () => {
      await server.close();
      await tasks.settle();
    },
  };
}

async function serve(routes: RouteHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readBody(req);
    if (body === undefined) {
      // Past the hard limit: not worth reading to the end. The client gets a reset, as from any proxy.
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const request: HttpRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      // The socket's address: a header the client sets (X-Forwarded-For) must not pick its rate-limit bucket.
      ip: req.socket.remoteAddress ?? '127.0.0.1',
    };
    const response = await routes(request);
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': Buffer.byteLength(response.body),
    });
    res.end(response.body);
  } catch {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Something went wrong.\n');
  }
}

/**
 * A body this large is dropped without an answer. Below it, an oversized body is read to its end and
 * thrown away, so the client gets the route table's 413 page: answering before the client has finished
 * sending, then closing, resets the connection and the client sees a network error instead of the page.
 * (A Function URL refuses more than 6 MB itself.)
 */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The body as text: whole up to MAX_BODY_BYTES, or cut at MAX_BODY_BYTES + 1 bytes (the route table
 * answers that with its 413 page). Undefined past DRAIN_LIMIT_BYTES.
 */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer.subarray(0, MAX_BODY_BYTES + 1 - size));
    size += buffer.length;
    if (size > DRAIN_LIMIT_BYTES) return undefined;
  }
  return Buffer.concat(chunks).toString('utf8');
}
