import { createServer, type Server } from 'node:http';
import { TidingsError } from '../core/errors.ts';

const HOST = '127.0.0.1';

/**
 * Listens on 127.0.0.1:`port`; a port in use is one line naming it, and how to pick others. Rejects
 * (instead of crashing the process with an unhandled 'error' event) on any listen error.
 */
export async function listenOn(server: Server, port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new TidingsError(
              'PORT_IN_USE',
              `${HOST}:${port} (${what}) is in use: stop what listens there, or give tidings dev another --port`,
            )
          : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/**
 * Fails with PORT_IN_USE, before anything starts, when one of these ports is taken: `tidings dev` then
 * stops at once with one line, instead of after the table has been opened and the senders started.
 */
export async function assertPortsFree(
  ports: readonly { readonly port: number; readonly what: string }[],
): Promise<void> {
  for (const { port, what } of ports) {
    if (port === 0) continue;
    const probe = createServer();
    await listenOn(probe, port, what);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
}
