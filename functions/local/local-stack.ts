import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../adapters/aws/clients.ts';
import type { Config } from '../core/config/schema.ts';
import { TidingsError } from '../core/errors.ts';
import { SEND_FUNCTION_TIMEOUT_SECONDS } from '../core/pacing/deadline.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import { quietObservability } from '../handlers/observability.ts';
import { makeSendHandler } from '../handlers/send.ts';
import { systemClock } from '../ports/clock.ts';
import type { RenderFn } from '../use-cases/plan-edition.ts';
import type { Adapters, Decorate } from '../wiring/adapters.ts';
import type { App, AppOptions } from '../wiring/app.ts';
import { LOCAL_REGION, localApp, localClients, withLocalPages } from '../wiring/local.ts';
import { startEmulatorProcess } from './emulator-process.ts';
import { startEmulatorThreads } from './emulator-thread.ts';
import {
  createQueues,
  createTable,
  type EmulatorOptions,
  type Emulators,
  startEmulators,
} from './emulators.ts';
import { type Recovery, recoverLocalStack } from './recover.ts';
import { LocalQueueRunner, type QueueRunner, type RunnerOptions } from './runner.ts';
import { SenderProcess } from './sender-process.ts';

export { LOCAL_REGION };
export const LOCAL_TABLE = 'tidings';
export const LOCAL_SEND_QUEUE = 'tidings-send';
/**
 * The layout `tidings dev` and the demo run in: the emulators in two worker threads of this process
 * (DynamoDB and SQS in one, SES in the other; emulator-thread.ts), the sender, the planner and the pages
 * in the main thread. test/bench/e2e.bench.ts measures it beside everything in one thread and beside the
 * emulators (and the sender) in child processes; the figures are in docs/delivery.md ("The local stack").
 */
export const DEV_LAYOUT = { emulatorThread: 'split' } as const satisfies Pick<
  LocalStackOptions,
  'emulatorProcess' | 'emulatorThread' | 'senderProcess' | 'senderThread'
>;
/** The send queue's visibility timeout: 6 × the send function's timeout, as the stack sets it on AWS. */
export const LOCAL_VISIBILITY_TIMEOUT_SECONDS = 6 * SEND_FUNCTION_TIMEOUT_SECONDS;
/** Where `tidings dev` writes its endpoints for the other commands. */
export const DEV_STATE_PATH = '.tidings/dev.json';

/** How to reach a running local stack. Written by `tidings dev`, read by publish/digest/status. */
export interface LocalStackEndpoints {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  readonly tableName: string;
  readonly sendQueueUrl: string;
  readonly dlqUrl: string;
  readonly sesStoreUrl: string;
  readonly mailboxUrl: string;
  readonly httpUrl?: string;
  /** Where the dev stack's web archive is written (served at `<httpUrl>/archive/`): publishing writes it too. */
  readonly archiveDir?: string;
  readonly pid: number;
  readonly startedAt: string;
}

export interface LocalStack {
  readonly emulators: Emulators;
  /** The emulators' SDK clients (tests drive the queue and the table directly with them). */
  readonly clients: AwsClients;
  readonly app: App;
  /** The adapter set the app runs on: tests seed and inspect the stores through it. */
  readonly adapters: Adapters;
  /** The send runner: in this process, or in its own (`senderProcess`). */
  readonly runner: QueueRunner;
  readonly info: LocalStackEndpoints;
  /** The processes of the stack besides this one (emulators, sender): what its RSS sums over. */
  readonly pids: readonly number[];
  /** What the start found left by an earlier run on the same data and picked up again (`dataDir` only). */
  readonly recovered?: Recovery;
  /** Stops the runner, closes the clients and stops every emulator. */
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  readonly config: Config;
  readonly keyRing: KeyRing;
  readonly render?: RenderFn;
  readonly emulators?: EmulatorOptions;
  /**
   * Run the emulators in child processes: `shared` one child, `split` the SES emulator in a second one.
   * @default in this process
   */
  readonly emulatorProcess?: 'shared' | 'split';
  /**
   * Run the emulators in worker threads of this process instead (emulator-thread.ts): `shared` one
   * thread, `split` the SES emulator in a second one. Not with `emulatorProcess`.
   * @default in this thread
   */
  readonly emulatorThread?: 'shared' | 'split';
  /**
   * Run the send runner in a child process of its own (sender-process.ts). Not with `decorate`, a
   * `wiring.clock`, `wiring.onSendOutcome` or `runner.invocationsPerMessage`, which live in this process.
   * @default in this process
   */
  readonly senderProcess?: boolean;
  /** The send runner in a worker thread of this process instead (the same limits as `senderProcess`). */
  readonly senderThread?: boolean;
  /**
   * Keep the table and the SES emulator's record here, across restarts, and pick up on start what an
   * earlier run left unfinished (recover.ts). @default in memory, nothing to recover
   */
  readonly dataDir?: string;
  /** Fixed ports on 127.0.0.1 for the emulators. @default ephemeral */
  readonly ports?: EmulatorOptions['ports'];
  /** Start the runner right away. @default true */
  readonly startRunner?: boolean;
  /** Send-handler invocations in flight (the event source's maximum concurrency). @default 2 */
  readonly senders?: number;
  /**
   * Visibility timeout of the send queue, seconds. @default 6 × the send function's timeout (720 s), as
   * on AWS: a local invocation claims until its deadline (80 s), and a shorter timeout handed the batches
   * still being paced to a second sender (1,941 claims and 800 extra reads for 1,000 messages, measured).
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Replaces adapters with wrappers of them (fault injection in tests). */
  readonly decorate?: Decorate;
  readonly runner?: Partial<Pick<RunnerOptions, 'invocationsPerMessage' | 'batchSize' | 'waitTimeSeconds'>>;
  readonly wiring?: Partial<
    Pick<
      AppOptions,
      | 'sendRate'
      | 'sendConcurrency'
      | 'planPageSize'
      | 'onSendOutcome'
      | 'onPlanProgress'
      | 'clock'
      | 'planTrigger'
      | 'fetchFeed'
      | 'maxFeedFailures'
      | 'archive'
      | 'sendTimer'
    >
  >;
}

/**
 * Starts the whole pipeline on one machine: the embedded emulators, the table and the send queue (with
 * its DLQ), the application wired against them (wiring/local.ts), and the local runner that feeds queue
 * messages to the same send handler Lambda runs. The runner is started; call `stop()` when done.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (options.senderProcess || options.senderThread) refuseInProcessHooks(options);
  const emulatorOptions: EmulatorOptions = {
    ...options.emulators,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.ports ? { ports: options.ports } : {}),
  };
  const emulators = options.emulatorProcess
    ? await startEmulatorProcess(emulatorOptions, { sesApart: options.emulatorProcess === 'split' })
    : options.emulatorThread
      ? await startEmulatorThreads(emulatorOptions, { sesApart: options.emulatorThread === 'split' })
      : await startEmulators(emulatorOptions);
  try {
    const clients = localClients(emulators);
    // A table kept on disk is there already from the run before.
    if (!options.dataDir || !(await tableExists(clients.dynamodb, LOCAL_TABLE)))
      await createTable(clients.dynamodb, LOCAL_TABLE);
    const queues = await createQueues(clients.sqs, [LOCAL_SEND_QUEUE], {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? LOCAL_VISIBILITY_TIMEOUT_SECONDS,
    });
    const sendQueueUrl = queues.urls[LOCAL_SEND_QUEUE] ?? '';
    const target = {
      endpoints: emulators.endpoints,
      tableName: LOCAL_TABLE,
      sendQueueUrl,
      sesStoreUrl: emulators.sesStoreUrl,
    };
    const { app, adapters } = localApp(target, {
      config: options.config,
      keyRing: options.keyRing,
      clients,
      ...(options.render ? { render: options.render } : {}),
      ...options.wiring,
      ...(options.decorate ? { decorate: options.decorate } : {}),
    });
    await app.applySendQuota();
    // Before the runner: every claim in the table is then a dead process's, and the queue is empty.
    const recovered = options.dataDir
      ? await recoverLocalStack(app, adapters, options.wiring?.clock ?? systemClock)
      : undefined;
    const runner =
      options.senderProcess || options.senderThread
        ? await SenderProcess.start({
            thread: options.senderThread === true,
            target,
            config: options.config,
            keyRing: options.keyRing,
            senders: options.senders ?? 2,
            start: options.startRunner !== false,
            ...(options.runner?.batchSize ? { batchSize: options.runner.batchSize } : {}),
            ...(options.wiring?.sendRate ? { sendRate: options.wiring.sendRate } : {}),
            ...(options.wiring?.sendConcurrency ? { sendConcurrency: options.wiring.sendConcurrency } : {}),
          })
        : new LocalQueueRunner({
            sqs: clients.sqs,
            queueUrl: sendQueueUrl,
            handler: makeSendHandler(async () => app, quietObservability()),
            concurrency: options.senders ?? 2,
            region: LOCAL_REGION,
            ...options.runner,
          });
    if (options.startRunner !== false && !(runner instanceof SenderProcess)) runner.start();
    const info: LocalStackEndpoints = {
      ...target,
      dlqUrl: queues.dlqUrls[LOCAL_SEND_QUEUE] ?? '',
      mailboxUrl: emulators.mailboxUrl,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    return {
      emulators,
      clients,
      app,
      adapters,
      runner,
      info,
      pids: [...emulators.pids, ...(runner instanceof SenderProcess && runner.pid ? [runner.pid] : [])],
      ...(recovered ? { recovered } : {}),
      async stop() {
        await runner.stop();
        app.destroy();
        clients.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

/** What a sender in another process cannot take: functions that live in this one. */
function refuseInProcessHooks(options: LocalStackOptions): void {
  const hooks = [
    options.decorate ? 'decorate' : '',
    options.wiring?.clock ? 'wiring.clock' : '',
    options.wiring?.onSendOutcome ? 'wiring.onSendOutcome' : '',
    options.runner?.invocationsPerMessage ? 'runner.invocationsPerMessage' : '',
  ].filter(Boolean);
  if (hooks.length > 0)
    throw new Error(`senderProcess: the sender runs in another process and cannot take ${hooks.join(', ')}`);
}

/** Writes where the running dev stack listens, for the other commands. */
export async function writeDevState(info: LocalStackEndpoints, path = DEV_STATE_PATH): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(info, null, 2)}\n`);
}

export async function removeDevState(path = DEV_STATE_PATH): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Finds the running `tidings dev` stack, or says in one line how to start one. A state file left by a
 * dev process that is gone is treated as absent.
 */
export async function findDevStack(
  options: {
    /** The command also has `--stack <name>` (the deployed stack): the hint offers it. */
    readonly stackOption?: boolean;
    readonly path?: string;
  } = {},
): Promise<LocalStackEndpoints> {
  const path = options.path ?? DEV_STATE_PATH;
  const hint = `no local stack is running: start one with \`npx tidings dev\` in another terminal${
    options.stackOption ? ' (or use --stack <name> for AWS)' : ''
  }`;
  let info: LocalStackEndpoints;
  try {
    info = JSON.parse(await readFile(path, 'utf8')) as LocalStackEndpoints;
  } catch {
    throw new TidingsError('DEV_NOT_RUNNING', hint);
  }
  if (!isAlive(info.pid)) throw new TidingsError('DEV_NOT_RUNNING', hint);
  try {
    await fetch(`${info.mailboxUrl.replace(/\/$/, '')}/health-check`, { signal: AbortSignal.timeout(2000) });
  } catch {
    throw new TidingsError('DEV_NOT_RUNNING', hint);
  }
  return info;
}

/** The application against a running dev stack (no runner here: the dev process sends). */
export function wireAgainstDevStack(
  info: LocalStackEndpoints,
  options: Pick<AppOptions, 'config' | 'keyRing' | 'render'>,
): App {
  return localApp(info, { ...options, config: withLocalPages(options.config, info.httpUrl) }).app;
}

async function tableExists(client: AwsClients['dynamodb'], tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/**
 * Takes the data dir for this process (a `dev.pid` file in it), or says in one line which `tidings dev`
 * has it: two processes on one LevelDB would have the second die on its lock. A pid file left by a process
 * that is gone (kill -9) is taken over. Returns how to give it back.
 */
export async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'dev.pid');
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
    throw new TidingsError(
      'DATA_DIR_IN_USE',
      `${dataDir} is in use by another tidings dev (pid ${pid}): stop it, or give this one another --data-dir`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${process.pid}\n`);
  return () => rm(path, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
