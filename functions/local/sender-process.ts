import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config/schema.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { LocalTarget } from '../wiring/local.ts';
import { THREAD_BOOT } from './emulator-thread.ts';
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
 * The sender thread's heap (`thread: true`): a young generation of 3 × 8 MB (the sender's garbage is
 * short-lived: requests, MIME, signatures) and an old one bounded (it held ~50 MB in use). Not the default
 * layout: in the e2e bench it has not been faster than the sender in the main thread.
 */
export const SENDER_THREAD_HEAP = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 160 } as const;

/** How the parent talks to the sender: a child process's IPC channel, or a worker thread's port. */
interface Channel {
  send(request: SenderRequest): void;
  onMessage(listener: (reply: SenderReply) => void): void;
  onExit(listener: (code: number | null) => void): void;
  readonly gone: boolean;
  readonly pid?: number;
  end(): Promise<void>;
}

function childChannel(child: ChildProcess): Channel {
  return {
    send: (request) => child.send(request),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', listener),
    get gone() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    async end() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function threadChannel(worker: Worker): Channel {
  let gone = false;
  worker.once('exit', () => {
    gone = true;
  });
  worker.on('error', (error) => {
    process.stderr.write(`tidings: the sender thread stopped: ${error.message}\n`);
  });
  return {
    send: (request) => worker.postMessage(request),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => worker.once('exit', listener),
    get gone() {
      return gone;
    },
    async end() {
      if (!gone) await worker.terminate();
    },
  };
}

/**
 * The send runner (runner.ts and the send handler Lambda runs) in a child Node process of its own, so
 * that building, signing and sending the messages does not share an event loop (and a core) with the
 * emulators or with the CLI, the pages and the planner in this process. It sends at the same pace, on
 * the same queue, through the same ledger: exactly-once does not depend on where the sender runs. The
 * child is stopped (by its pid) in `stop()`, and exits by itself when this process goes away.
 */
export class SenderProcess implements QueueRunner {
  readonly #child: Channel;
  #next = 0;
  readonly #pending = new Map<number, { resolve(r: SenderReply): void; reject(e: Error): void }>();

  private constructor(child: Channel) {
    this.#child = child;
    child.onMessage((reply: SenderReply) => {
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    child.onExit((code) => {
      for (const w of this.#pending.values()) w.reject(new Error(`the sender process exited (code ${code})`));
      this.#pending.clear();
    });
  }

  /** Starts the child and wires its sender against `target`. */
  static async start(
    options: Omit<SenderSetup, 'keys'> & {
      readonly keyRing: KeyRing;
      /** In a worker thread of this process instead of a child process. @default false */
      readonly thread?: boolean;
    },
  ): Promise<SenderProcess> {
    const entry = new URL('./sender-child.ts', import.meta.url);
    const child = options.thread
      ? threadChannel(
          new Worker(THREAD_BOOT, { workerData: { entry: entry.href }, resourceLimits: SENDER_THREAD_HEAP }),
        )
      : childChannel(
          spawn(process.execPath, ['--import', 'tsx', fileURLToPath(entry)], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            env: { ...process.env, NODE_NO_WARNINGS: '1' },
          }),
        );
    const sender = new SenderProcess(child);
    const { keyRing, thread: _, ...rest } = options;
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
      await child.end();
      throw error;
    }
    return sender;
  }

  /** The child's process id (the stack's RSS counts it); none for a thread. */
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
    if (this.#child.gone) return none;
    const stats = await this.#ask({ type: 'stop' }).catch(() => undefined);
    await this.#child.end();
    return stats ?? none;
  }

  #ask(request: { type: SenderRequest['type'] } & Record<string, unknown>): Promise<RunnerStats | undefined> {
    const id = this.#next++;
    return new Promise<SenderReply>((resolve, reject) => {
      if (this.#child.gone) {
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
