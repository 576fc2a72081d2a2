import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../core/error-codes.ts';
import { TidingsError } from '../core/errors.ts';
import type { EmulatorOptions, Emulators } from './emulators.ts';

/**
 * The embedded emulators in worker threads of this process, the layout `tidings dev` and `npm start` run
 * in (local-stack.ts DEV_LAYOUT): DynamoDB and SQS in one thread, SES in another, the sender and the
 * pages in the main one. Each gets an event loop (and, when one is free, a core) of its own, as with the
 * child processes of emulator-process.ts, but without a second and third Node process: the node binary,
 * tsx and its esbuild service are counted once, and the threads' heaps stay small (`heapMb`).
 * Measured in test/bench/e2e.bench.ts beside the other layouts.
 */
export async function startEmulatorThreads(
  options: EmulatorOptions = {},
  placement: { readonly sesApart?: boolean } = {},
): Promise<Emulators> {
  if (options.rejectRecipient)
    throw new Error(
      'rejectRecipient is a function: it cannot go to a worker thread; run the emulators inline',
    );
  if (!placement.sesApart) return startThread(options, 'all');
  const [data, mail] = await Promise.allSettled([startThread(options, 'data'), startThread(options, 'ses')]);
  if (data.status === 'rejected' || mail.status === 'rejected') {
    await Promise.all([data, mail].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw (data.status === 'rejected' ? data.reason : (mail as PromiseRejectedResult).reason) as Error;
  }
  return {
    endpoints: {
      dynamodb: data.value.endpoints.dynamodb,
      sqs: data.value.endpoints.sqs,
      ses: mail.value.endpoints.ses,
    },
    sesStoreUrl: mail.value.sesStoreUrl,
    mailboxUrl: mail.value.mailboxUrl,
    startupMs: Math.max(data.value.startupMs, mail.value.startupMs),
    pids: [],
    async stop() {
      await Promise.all([data.value.stop(), mail.value.stop()]);
    },
  };
}

/**
 * The old generation a thread's heap may grow to, where what it keeps is bounded: without a limit V8 let
 * each heap grow to 2–3 times what it held (at 10,000 readers, the DynamoDB thread's heap reached 149 MB
 * for 59 MB in use). The SES thread keeps a bounded mailbox (its heap held 39 MB at 10,000 messages); the
 * DynamoDB thread is bounded only when the table is on disk (`dataDir`, as `tidings dev` runs): an
 * in-memory table grows with the readers (about 5 KB each), so it gets no limit rather than an
 * out-of-memory at some list size.
 */
export const THREAD_HEAP_MB = { ses: 128, dataOnDisk: 128 } as const;

function heapLimit(
  options: EmulatorOptions,
  part: 'all' | 'data' | 'ses',
): { resourceLimits?: { maxOldGenerationSizeMb: number } } {
  if (part === 'ses') return { resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB.ses } };
  if (options.dataDir)
    return {
      resourceLimits: {
        maxOldGenerationSizeMb: THREAD_HEAP_MB.dataOnDisk + (part === 'all' ? THREAD_HEAP_MB.ses : 0),
      },
    };
  return {};
}

/** Starts a worker thread on a TypeScript module (thread-boot.mjs registers tsx in it). */
export const THREAD_BOOT = new URL('./thread-boot.mjs', import.meta.url);

type Ready = Omit<Emulators, 'stop' | 'pids'>;
type Message =
  | { readonly ready: Ready }
  | { readonly failed: string; readonly code?: ErrorCode }
  | { readonly stopped: true };

async function startThread(options: EmulatorOptions, part: 'all' | 'data' | 'ses'): Promise<Emulators> {
  const worker = new Worker(THREAD_BOOT, {
    workerData: { entry: new URL('./emulator-worker.ts', import.meta.url).href, options, part },
    ...heapLimit(options, part),
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the emulator thread did not start within 30 s')),
      30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      reject(error);
    };
    worker.once('error', fail);
    worker.once('message', (message: Message) => {
      if ('ready' in message) {
        clearTimeout(timer);
        resolve(message.ready);
      } else if ('failed' in message)
        fail(message.code ? new TidingsError(message.code, message.failed) : new Error(message.failed));
    });
  });
  // A thread that dies later (out of memory, a crash in an emulator) leaves the stack without DynamoDB or
  // SES: say so in one line and stop, rather than let every later call time out.
  worker.on('error', (error) => {
    process.stderr.write(`tidings: the emulator thread (${part}) stopped: ${error.message}\n`);
    process.exit(70);
  });
  return {
    ...ready,
    pids: [],
    async stop() {
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (m: Message) => 'stopped' in m && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
