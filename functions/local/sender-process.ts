import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config/schema.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { LocalTarget } from '../wiring/local.ts';
import type { QueueRunner, RunnerStats } from './runner.ts';

/** What the sender process is started with: plain data, sent over the IPC channel. */
export interface SenderSetup {
  readonly target: LocalTarget;
  readonly config: Config;
  readonly keys: {
    readonly current: { readonly id: string; readonly secret: string };
    readonly previous?: readonly { readonly id: string; readonly secret: string }[];
  };
  readonly senders: number;
  readonly batchSize?: number;
  readonly sendRate?: number;
  readonly sendConcurrency?: number;
  /** Start polling the queue at once. */
  readonly start: boolean;
}

export type SenderRequest = { readonly id: number } & (
  | { readonly type: 'start'; readonly setup: SenderSetup }
  | { readonly type: 'run' | 'stop' }
  | { readonly type: 'drain'; readonly timeoutMs: number }
);

export type SenderReply =
  | { readonly id: number; readonly ok: true; readonly stats?: RunnerStats }
  | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * The send runner (runner.ts and the send handler Lambda runs) in a child Node process of its own, so
 * that building, signing and sending the messages does not share an event loop (and a core) with the
 * emulators or with the CLI, the pages and the planner in this process. It sends at the same pace, on
 * the same queue, through the same ledger: exactly-once does not depend on where the sender runs. The
 * child is stopped (by its pid) in `stop()`, and exits by itself when this process goes away.
 */
export class SenderProcess implements QueueRunner {
  readonly #child: ChildProcess;
  #next = 0;
  readonly #pending = new Map<number, { resolve(r: SenderReply): void; reject(e: Error): void }>();

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (reply: SenderReply) => {
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    child.once('exit', (code) => {
      for (const w of this.#pending.values()) w.reject(new Error(`the sender process exited (code ${code})`));
      this.#pending.clear();
    });
  }

  /** Starts the child and wires its sender against `target`. */
  static async start(
    options: Omit<SenderSetup, 'keys'> & { readonly keyRing: KeyRing },
  ): Promise<SenderProcess> {
    const entry = fileURLToPath(new URL('./sender-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    const sender = new SenderProcess(child);
    const { keyRing, ...rest } = options;
    const key = (k: { id: string; secret: Uint8Array }) => ({
      id: k.id,
      secret: Buffer.from(k.secret).toString('base64'),
    });
    const keys = {
      current: key(keyRing.current),
      ...(keyRing.previous ? { previous: keyRing.previous.map(key) } : {}),
    };
    try {
      await sender.#ask({ type: 'start', setup: { ...rest, keys } });
    } catch (error) {
      child.kill('SIGTERM');
      throw error;
    }
    return sender;
  }

  /** The child's process id (the stack's RSS counts it). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  start(): void {
    void this.#ask({ type: 'run' }).catch(() => undefined);
  }

  async drain(timeoutMs = 120_000): Promise<RunnerStats> {
    return (
      (await this.#ask({ type: 'drain', timeoutMs })) ?? { invocations: 0, records: 0, failedRecords: 0 }
    );
  }

  async stop(): Promise<RunnerStats> {
    const none = { invocations: 0, records: 0, failedRecords: 0 };
    if (this.#child.exitCode !== null) return none;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    const stats = await this.#ask({ type: 'stop' }).catch(() => undefined);
    this.#child.kill('SIGTERM');
    await exited;
    return stats ?? none;
  }

  #ask(request: { type: SenderRequest['type'] } & Record<string, unknown>): Promise<RunnerStats | undefined> {
    const id = this.#next++;
    return new Promise<SenderReply>((resolve, reject) => {
      if (this.#child.exitCode !== null) {
        reject(new Error('the sender process is gone'));
        return;
      }
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...request, id } as SenderRequest);
    }).then((reply) => {
      if (!reply.ok) throw new Error(`the sender process: ${reply.error}`);
      return reply.stats;
    });
  }
}
