// The worker side of startEmulatorThreads() (emulator-thread.ts): starts the emulators in this thread,
// posts their endpoints (or the error, in one line), and stops them when told to.
import { parentPort, workerData } from 'node:worker_threads';
import { TidingsError } from '../core/errors.ts';
import { type EmulatorOptions, startEmulators } from './emulators.ts';

const { options, part } = workerData as { options: EmulatorOptions; part: 'all' | 'data' | 'ses' };
const port = parentPort;
if (!port) throw new Error('emulator-worker.ts runs as a worker thread (emulator-thread.ts)');
try {
  const { stop, pids: _, ...info } = await startEmulators(options, part);
  port.on('message', async (message: 'stop') => {
    if (message !== 'stop') return;
    await stop();
    port.postMessage({ stopped: true });
  });
  port.postMessage({ ready: info });
} catch (error) {
  const code = error instanceof TidingsError ? error.code : undefined;
  port.postMessage({ failed: (error as Error).message, ...(code ? { code } : {}) });
}
