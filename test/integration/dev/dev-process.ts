// `tidings dev` as a real child process, in a folder of its own (its .tidings/ lives there), on four
// free fixed ports: what the restart and link tests start, kill and start again.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import exampleConfigInput from '../../../examples/tidings.config.ts';
import { assertPortsFree } from '../../../functions/local/listen.ts';
import type { LocalStackEndpoints } from '../../../functions/local/local-stack.ts';
import type { Recovery } from '../../../functions/local/recover.ts';

export const REPO = resolve(import.meta.dirname, '../../..');

export interface DevProcess {
  readonly child: ChildProcess;
  readonly info: LocalStackEndpoints & { readonly recovered?: Recovery };
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * A folder with the example config (at `maxRate`) as JSON, for `tidings dev --config` to run in. Each
 * test gets its own, so its data dir, keys and dev.json are its own.
 */
export function aDevFolder(maxRate: number): { readonly dir: string; readonly config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-dev-'));
  const config = join(dir, 'tidings.config.json');
  writeFileSync(
    config,
    JSON.stringify({ ...exampleConfigInput, sending: { ...exampleConfigInput.sending, maxRate } }),
  );
  return { dir, config };
}

/** A base port whose next three are free too (tests run beside other processes on this machine). */
export async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    try {
      await assertPortsFree([0, 1, 2, 3].map((i) => ({ port: base + i, what: 'probe' })));
      return base;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no four free ports in a row found');
}

/** Starts `tidings dev --json` in `dir`; resolves with its endpoints once it is up. */
export async function startDev(
  folder: { readonly dir: string; readonly config: string },
  port: number,
  extra: readonly string[] = [],
): Promise<DevProcess> {
  const child = spawn(
    process.execPath,
    [
      join(REPO, 'bin/tidings.mjs'),
      'dev',
      '--json',
      '--config',
      folder.config,
      '--port',
      String(port),
      ...extra,
    ],
    { cwd: folder.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const info = await new Promise<DevProcess['info']>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`tidings dev did not start in 120 s: ${stderr}`)), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`tidings dev exited (${code}) before it was up: ${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      ok(JSON.parse(line) as DevProcess['info']);
    });
  });
  return {
    child,
    info,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
