import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../../core/config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';
import { quietObservability } from '../../handlers/observability.ts';
import { makeSendHandler } from '../../handlers/send.ts';
import { systemClock } from '../../ports/clock.ts';
import type { MailTransport } from '../../ports/mail-transport.ts';
import type { RenderFn } from '../../use-cases/plan-edition.ts';
import { DEFAULT_RECONCILE_WINDOW_MS } from '../../use-cases/reconcile-claims.ts';
import { type App, type Stores, type WiringOptions, wire } from '../../wiring.ts';
import { type AwsClients, EMULATOR_CREDENTIALS, makeClients } from '../aws/clients.ts';
import { startEmulatorProcess } from './emulator-process.ts';
import {
  createQueues,
  createTable,
  type EmulatorOptions,
  type Emulators,
  startEmulators,
} from './emulators.ts';
import { LocalQueueRunner, type RunnerOptions } from './runner.ts';
import { deliverLocalSendEvents } from './send-events.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_TABLE = 'tidings';
export const LOCAL_SEND_QUEUE = 'tidings-send';
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
  readonly pid: number;
  readonly startedAt: string;
}

export interface LocalStack {
  readonly emulators: Emulators;
  readonly clients: AwsClients;
  readonly app: App;
  readonly runner: LocalQueueRunner;
  readonly info: LocalStackEndpoints;
  /**
   * Reconciles an edition's stale claims, after delivering the Send events SES would have published
   * (see send-events.ts).
   */
  reconcile(editionId: string, options?: { readonly windowMs?: number }): ReturnType<App['reconcile']>;
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
  /** Start the runner right away. @default true */
  readonly startRunner?: boolean;
  /** Send-handler invocations in flight (the event source's maximum concurrency). @default 2 */
  readonly senders?: number;
  /** Visibility timeout of the send queue, seconds. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Wraps the SES transport (fault injection in tests). */
  readonly decorateTransport?: (transport: MailTransport, stores: Stores) => MailTransport;
  readonly runner?: Partial<Pick<RunnerOptions, 'invocationsPerMessage' | 'batchSize'>>;
  readonly wiring?: Partial<
    Pick<
      WiringOptions,
      | 'sendRate'
      | 'sendConcurrency'
      | 'planPageSize'
      | 'onSendOutcome'
      | 'onPlanProgress'
      | 'clock'
      | 'planTrigger'
    >
  >;
}

/**
 * Starts the whole pipeline on one machine: the embedded emulators, the table and the send queue (with
 * its DLQ), the application wired against them, and the local runner that feeds queue messages to the
 * same send handler Lambda runs. The runner is started; call `stop()` when done.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const emulators = options.emulatorProcess
    ? await startEmulatorProcess(options.emulators ?? {}, { sesApart: options.emulatorProcess === 'split' })
    : await startEmulators(options.emulators ?? {});
  try {
    const clients = makeClients({
      region: LOCAL_REGION,
      endpoints: emulators.endpoints,
      credentials: EMULATOR_CREDENTIALS,
    });
    await createTable(clients.dynamodb, LOCAL_TABLE);
    const queues = await createQueues(clients.sqs, [LOCAL_SEND_QUEUE], {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    });
    const sendQueueUrl = queues.urls[LOCAL_SEND_QUEUE] ?? '';
    const app = wire({
      config: options.config,
      keyRing: options.keyRing,
      clients,
      tableName: LOCAL_TABLE,
      sendQueueUrl,
      clock: options.wiring?.clock ?? systemClock,
      ...(options.render ? { render: options.render } : {}),
      ...options.wiring,
      ...(options.decorateTransport ? { decorateTransport: options.decorateTransport } : {}),
    });
    await app.applySendQuota();
    const runner = new LocalQueueRunner({
      sqs: clients.sqs,
      queueUrl: sendQueueUrl,
      handler: makeSendHandler(async () => app, quietObservability()),
      concurrency: options.senders ?? 2,
      region: LOCAL_REGION,
      ...options.runner,
    });
    if (options.startRunner !== false) runner.start();
    const info: LocalStackEndpoints = {
      endpoints: emulators.endpoints,
      tableName: LOCAL_TABLE,
      sendQueueUrl,
      dlqUrl: queues.dlqUrls[LOCAL_SEND_QUEUE] ?? '',
      sesStoreUrl: emulators.sesStoreUrl,
      mailboxUrl: emulators.mailboxUrl,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    return {
      emulators,
      clients,
      app,
      runner,
      info,
      reconcile: (editionId, opts = {}) => reconcileLocally(app, info.sesStoreUrl, editionId, opts),
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

/** Wires the application against a running dev stack (no runner here: the dev process sends). */
export function wireAgainstDevStack(
  info: LocalStackEndpoints,
  options: { readonly config: Config; readonly keyRing?: KeyRing; readonly render?: RenderFn },
): App {
  const clients = makeClients({
    region: LOCAL_REGION,
    endpoints: info.endpoints,
    credentials: EMULATOR_CREDENTIALS,
  });
  const app = wire({
    config: options.config,
    ...(options.keyRing ? { keyRing: options.keyRing } : {}),
    clients,
    tableName: info.tableName,
    sendQueueUrl: info.sendQueueUrl,
    ...(options.render ? { render: options.render } : {}),
  });
  return {
    ...app,
    reconcile: (editionId: string, opts: { readonly windowMs?: number } = {}) =>
      reconcileLocally(app, info.sesStoreUrl, editionId, opts),
    destroy: () => clients.destroy(),
  } as App;
}

/** Local reconciliation: the Send events first (the emulator's record of what it accepted), then the ledger. */
async function reconcileLocally(
  app: App,
  sesStoreUrl: string,
  editionId: string,
  options: { readonly windowMs?: number },
): ReturnType<App['reconcile']> {
  const windowMs = options.windowMs ?? DEFAULT_RECONCILE_WINDOW_MS;
  const olderThan = new Date(app.clock.now().getTime() - windowMs).toISOString();
  await deliverLocalSendEvents({ sesStoreUrl, ledger: app.stores.ledger, editionId, olderThan });
  return app.reconcile(editionId, { windowMs });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
