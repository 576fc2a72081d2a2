import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions, Emulators } from './emulators.ts';

/**
 * The embedded emulators, in a child Node process instead of this one. Same emulators, same
 * 127.0.0.1 ephemeral ports; the difference is a second CPU core: dynalite, the SQS and SES emulators
 * then stop competing with the sender for one event loop (about twice the local send rate on 2 cores).
 * The demo and the fault-injection test use it; the child is stopped (by its pid) in `stop()`.
 * `sesApart` puts the SES emulator in a second child (see below).
 */
export async function startEmulatorProcess(
  options: EmulatorOptions = {},
  placement: { readonly sesApart?: boolean } = {},
): Promise<Emulators> {
  if (!placement.sesApart) return startChild(options, 'all');
  // Apart, dynalite and the SES emulator each get an event loop (and a core) of their own: DynamoDB and
  // SQS in one child, SES in the other.
  const [data, mail] = await Promise.all([startChild(options, 'data'), startChild(options, 'ses')]);
  return {
    endpoints: { dynamodb: data.endpoints.dynamodb, sqs: data.endpoints.sqs, ses: mail.endpoints.ses },
    sesStoreUrl: mail.sesStoreUrl,
    mailboxUrl: mail.mailboxUrl,
    startupMs: Math.max(data.startupMs, mail.startupMs),
    pids: [...data.pids, ...mail.pids],
    async stop() {
      await Promise.all([data.stop(), mail.stop()]);
    },
  };
}

async function startChild(options: EmulatorOptions, part: 'all' | 'data' | 'ses'): Promise<Emulators> {
  const entry = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));
  const args = ['--import', 'tsx', entry, JSON.stringify(options), part];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<Omit<Emulators, 'stop' | 'pids'>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the emulator process did not start within 30 s')),
      30_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator process exited (code ${code}) before it was ready`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as Omit<Emulators, 'stop' | 'pids'>);
      } catch (error) {
        reject(error);
      }
    });
  });
  return {
    ...ready,
    pids: child.pid === undefined ? [] : [child.pid],
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
