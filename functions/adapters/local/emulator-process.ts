import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions, Emulators } from './emulators.ts';

/**
 * The embedded emulators, in a child Node process instead of this one. Same emulators, same
 * 127.0.0.1 ephemeral ports; the difference is a second CPU core: dynalite, the SQS and SES emulators
 * then stop competing with the sender for one event loop (about twice the local send rate on 2 cores).
 * The demo and the fault-injection test use it; the child is stopped (by its pid) in `stop()`.
 */
export async function startEmulatorProcess(options: EmulatorOptions = {}): Promise<Emulators> {
  const entry = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<Omit<Emulators, 'stop'>>((resolve, reject) => {
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
        resolve(JSON.parse(line) as Omit<Emulators, 'stop'>);
      } catch (error) {
        reject(error);
      }
    });
  });
  return {
    ...ready,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
