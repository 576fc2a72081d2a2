import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { loadArchiveTemplates } from '../../adapters/fs/archive-templates.ts';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { FsArchiveObjects } from '../../adapters/fs/fs-archive-objects.ts';
import { loadOrCreateLocalKeyRing } from '../../adapters/fs/keyring-file.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import type { Config } from '../../core/config/schema.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';
import { quietObservability } from '../../handlers/observability.ts';
import { startJourneyDevService } from '../../local/dev-server.ts';
import { startDevTimers } from '../../local/dev-timers.ts';
import { DEFAULT_SES_RATE } from '../../local/emulators.ts';
import { assertPortsFree } from '../../local/listen.ts';
import {
  claimDataDir,
  DEV_LAYOUT,
  DEV_STATE_PATH,
  type LocalStack,
  type LocalStackEndpoints,
  removeDevState,
  startLocalStack,
  writeDevState,
} from '../../local/local-stack.ts';
import { DEFAULT_MAILBOX_KEEP } from '../../local/ses-mailbox.ts';
import { systemClock } from '../../ports/clock.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import { withLocalPages } from '../../wiring/local.ts';

/**
 * Extra services `tidings dev` runs beside the emulators and the send runner (the subscriber pages'
 * http server registers itself here). Each returns the URL it serves and how to stop it.
 */
export type DevService = (ctx: {
  readonly stack: LocalStack;
  readonly config: Config;
  readonly keyRing: KeyRing;
  readonly ports: DevPorts;
}) => Promise<{ readonly name: string; readonly url: string; stop(): Promise<void> }>;

/** Where `tidings dev` keeps the web archive that publishing writes, served at /archive/. */
export const DEV_ARCHIVE_DIR = '.tidings/archive';

/** Where `tidings dev` keeps the table and the SES emulator's record of what it sent, across restarts. */
export const DEV_DATA_DIR = '.tidings/data';

/**
 * The first of the four fixed ports `tidings dev` listens on, on 127.0.0.1 (pages, SES, DynamoDB, SQS):
 * fixed, so that the URLs in the browser and in the emails sent keep working after a restart.
 */
export const DEV_BASE_PORT = 4310;

/** The ports of one `tidings dev`: the subscriber pages at `--port`, then the SES, DynamoDB and SQS emulators. */
export interface DevPorts {
  readonly http: number;
  readonly ses: number;
  readonly dynamodb: number;
  readonly sqs: number;
}

export function devPorts(base: number): DevPorts {
  return { http: base, ses: base + 1, dynamodb: base + 2, sqs: base + 3 };
}

function parseBasePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1024 || n > 65532)
    throw new InvalidArgumentError('a port number from 1024 to 65532 (the next three are used too)');
  return n;
}

export const devServices: DevService[] = [
  (ctx) => startJourneyDevService({ ...ctx, port: ctx.ports.http, archiveDir: DEV_ARCHIVE_DIR }),
  // The deployed schedules' work: reconcile (every 30 s here, see dev-timers.ts), and the scheduled sends.
  async ({ stack }) => {
    const timers = startDevTimers(stack.app, quietObservability(), {
      onError: (what, error) =>
        process.stderr.write(
          `tidings dev: ${what} failed, tried again on the next tick: ${(error as Error).message}\n`,
        ),
    });
    return {
      name: 'timers',
      url: 'reconcile every 30 s (claims older than 2 min), scheduled sends every 5 s',
      stop: () => timers.stop(),
    };
  },
];

/** A number > 0 from an option, or one line saying which option is wrong. */
function positiveNumber(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidInputError('OPTION_INVALID', `${option} ${value}: expected a number greater than 0`);
  return n;
}

interface DevOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly port: number;
  readonly dataDir: string;
  readonly fresh?: boolean;
  readonly sesRate?: string;
  readonly mailboxKeep?: string;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run the local stack (DynamoDB, SQS and SES emulators, the send runner) until Ctrl-C')
    .option('--config <file>', 'the config file')
    .option('--json', 'print the endpoints as one JSON document once ready')
    .option(
      '--port <n>',
      `the subscriber pages' port on 127.0.0.1; the SES, DynamoDB and SQS emulators take the next three`,
      parseBasePort,
      DEV_BASE_PORT,
    )
    .option('--data-dir <dir>', 'where the table and the record of sent messages are kept', DEV_DATA_DIR)
    .option('--fresh', 'start empty: delete the data dir first')
    .option(
      '--ses-rate <n>',
      `the SES emulator's MaxSendRate (messages/s), enforced as SES does (default ${DEFAULT_SES_RATE})`,
    )
    .option(
      '--mailbox-keep <n>',
      `messages the SES mailbox keeps whole; older ones keep their envelope (default ${DEFAULT_MAILBOX_KEEP})`,
    )
    .action(async (options: DevOptions) => {
      const sesRate = positiveNumber('--ses-rate', options.sesRate ?? String(DEFAULT_SES_RATE));
      const mailboxKeep = positiveNumber(
        '--mailbox-keep',
        options.mailboxKeep ?? String(DEFAULT_MAILBOX_KEEP),
      );
      const ports = devPorts(options.port);
      await assertPortsFree([
        { port: ports.http, what: 'the subscriber pages' },
        { port: ports.ses, what: 'the SES emulator' },
        { port: ports.dynamodb, what: 'the DynamoDB emulator' },
        { port: ports.sqs, what: 'the SQS emulator' },
      ]);
      // The emails sent here link to the pages served here (not to the production publicUrl).
      const config = withLocalPages(
        (await loadConfig(options.config)).config,
        `http://127.0.0.1:${ports.http}`,
      );
      const keyRing = await loadOrCreateLocalKeyRing();
      // With --json, stdout is the one JSON document: these lines go to stderr.
      const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
      let release = await claimDataDir(options.dataDir);
      if (options.fresh) {
        await rm(options.dataDir, { recursive: true, force: true });
        release = await claimDataDir(options.dataDir);
        say(`tidings dev: --fresh: deleted ${options.dataDir}; starting with an empty table and mailbox`);
      }
      const stack = await startLocalStack({
        config,
        keyRing,
        // The layout measured best by test/bench/e2e.bench.ts (local-stack.ts).
        ...DEV_LAYOUT,
        emulators: {
          sendQuota: { maxSendRate: sesRate, max24HourSend: 1_000_000_000 },
          enforceMaxSendRate: true,
          mailboxKeep: Math.floor(mailboxKeep),
        },
        dataDir: options.dataDir,
        ports: { ses: ports.ses, dynamodb: ports.dynamodb, sqs: ports.sqs },
        render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
        wiring: {
          archive: {
            objects: new FsArchiveObjects(DEV_ARCHIVE_DIR),
            templates: () => loadArchiveTemplates(),
          },
        },
      });
      const services = [];
      const r = stack.recovered;
      if (r && r.editions > 0)
        say(
          `tidings dev: picked up ${r.editions} unfinished edition(s) from ${options.dataDir}: ${r.confirmed} confirmed sent, ` +
            `${r.resent} sent again, ${r.requeued} put back on the queue, ${r.planningResumed} planning resumed`,
        );
      for (const start of devServices) services.push(await start({ stack, config, keyRing, ports }));
      const http = services.find((s) => s.name === 'http');
      const info: LocalStackEndpoints = {
        ...stack.info,
        ...(http ? { httpUrl: http.url } : {}),
        archiveDir: resolve(DEV_ARCHIVE_DIR),
      };
      await writeDevState(info);
      if (options.json) process.stdout.write(`${JSON.stringify({ ...info, recovered: stack.recovered })}\n`);
      else {
        const lines = [
          'tidings dev: the local stack is up (Ctrl-C stops it)',
          `  SES mailbox   ${info.mailboxUrl}   (every message sent; JSON at ${info.sesStoreUrl})`,
          ...services.map((s) => `  ${s.name.padEnd(13)} ${s.url}`),
          `  DynamoDB      ${info.endpoints.dynamodb}   table ${info.tableName}`,
          `  SQS           ${info.endpoints.sqs}   send queue ${info.sendQueueUrl}`,
          `  SES API       ${info.endpoints.ses}   ${sesRate}/s, keeps the last ${Math.floor(mailboxKeep)} messages whole`,
          `  data          ${options.dataDir}   (kept across restarts; --fresh starts empty)`,
          `  endpoints written to ${DEV_STATE_PATH}: publish, digest and status use them`,
          '  try: npx tidings subscribers import examples/subscribers.csv --skip-bad-rows; npx tidings publish examples/posts/podcast-episode.md',
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('\nstopping the local stack…\n');
      for (const s of services) await s.stop();
      await stack.stop();
      await removeDevState();
      await release();
    });
}
