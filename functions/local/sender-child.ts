// The other side of SenderProcess (sender-process.ts), in a child process or a worker thread: the send
// runner and the send handler, wired against the emulators whose endpoints the parent hands over on the
// IPC channel (or the thread's port). It answers `drain` and `stop` with the runner's figures, and a child
// exits when the parent goes away.
import { parentPort } from 'node:worker_threads';
import type { Config } from '../core/config/schema.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import { quietObservability } from '../handlers/observability.ts';
import { makeSendHandler } from '../handlers/send.ts';
import { LOCAL_REGION, localApp, localClients } from '../wiring/local.ts';
import { LocalQueueRunner, type RunnerStats } from './runner.ts';
import type { SenderReply, SenderRequest } from './sender-process.ts';

const port = parentPort;
const reply = (message: SenderReply) => (port ? port.postMessage(message) : process.send?.(message));
let runner: LocalQueueRunner | undefined;
let destroy = () => {};

const onRequest = (request: SenderRequest) => {
  handle(request).then(
    (stats) => reply({ id: request.id, ok: true, ...(stats ? { stats } : {}) }),
    (error: unknown) => reply({ id: request.id, ok: false, error: (error as Error).message }),
  );
};
if (port) port.on('message', onRequest);
else {
  process.on('message', onRequest);
  process.once('disconnect', () => process.exit(0));
}

async function handle(request: SenderRequest): Promise<RunnerStats | undefined> {
  if (request.type === 'start') {
    const { setup } = request;
    const key = (k: { id: string; secret: string }) => ({
      id: k.id,
      secret: new Uint8Array(Buffer.from(k.secret, 'base64')),
    });
    const keyRing: KeyRing = {
      current: key(setup.keys.current),
      ...(setup.keys.previous ? { previous: setup.keys.previous.map(key) } : {}),
    };
    const clients = localClients(setup.target);
    const { app } = localApp(setup.target, {
      config: setup.config as Config,
      keyRing,
      clients,
      ...(setup.sendRate ? { sendRate: setup.sendRate } : {}),
      ...(setup.sendConcurrency ? { sendConcurrency: setup.sendConcurrency } : {}),
    });
    await app.applySendQuota();
    runner = new LocalQueueRunner({
      sqs: clients.sqs,
      queueUrl: setup.target.sendQueueUrl,
      handler: makeSendHandler(async () => app, quietObservability()),
      concurrency: setup.senders,
      region: LOCAL_REGION,
      ...(setup.batchSize ? { batchSize: setup.batchSize } : {}),
    });
    destroy = () => {
      app.destroy();
      clients.destroy();
    };
    if (setup.start) runner.start();
    return undefined;
  }
  if (!runner) throw new Error('the sender process was not started');
  if (request.type === 'run') {
    runner.start();
    return undefined;
  }
  if (request.type === 'drain') return runner.drain(request.timeoutMs);
  const stats = await runner.stop();
  destroy();
  return stats;
}
