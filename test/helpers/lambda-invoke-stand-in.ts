// A stand-in for Lambda's Invoke API on 127.0.0.1, for the http function's asynchronous self-invoke
// (adapters/aws/lambda-event-invoke.ts): it checks what Lambda checks for an `Event` invoke (a SigV4
// Authorization header, the invocation type, a JSON payload), answers 202 at once, and then runs the event
// as another invocation would, through `run`. `settle()` waits for every event run so far.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InvokeStandIn {
  readonly endpoint: string;
  /** Events accepted so far, by function name. */
  readonly accepted: { readonly functionName: string; readonly event: unknown }[];
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startInvokeStandIn(run: (event: unknown) => Promise<void>): Promise<InvokeStandIn> {
  const accepted: { functionName: string; event: unknown }[] = [];
  const running = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
      const signed = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/lambda\/aws4_request/.test(
        String(req.headers.authorization ?? ''),
      );
      if (req.method !== 'POST' || !match || !signed || req.headers['x-amz-invocation-type'] !== 'Event') {
        res.writeHead(400).end();
        return;
      }
      let event: unknown;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      accepted.push({ functionName: decodeURIComponent(match[1] ?? ''), event });
      res.writeHead(202).end();
      const task = run(event).finally(() => running.delete(task));
      running.add(task);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accepted,
    async settle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
