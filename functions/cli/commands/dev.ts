import type { Command } from 'commander';
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
import {
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

/**
 * Extra services `tidings dev` runs beside the emulators and the send runner (the subscriber pages'
 * http server registers itself here). Each returns the URL it serves and how to stop it.
 */
export type DevService = (ctx: {
  readonly stack: LocalStack;
  readonly config: Config;
  readonly keyRing: KeyRing;
}) => Promise<{ readonly name: string; readonly url: string; stop(): Promise<void> }>;

/** Where `tidings dev` keeps the web archive that publishing writes, served at /archive/. */
export const DEV_ARCHIVE_DIR = '.tidings/archive';

export const devServices: DevService[] = [
  (ctx) => startJourneyDevService({ ...ctx, archiveDir: DEV_ARCHIVE_DIR }),
  // The deployed schedules' work: reconcile every 5 minutes, and the scheduled sends when their time comes.
  async ({ stack }) => {
    const timers = startDevTimers(stack.app, quietObservability(), {
      onError: (what, error) =>
        process.stderr.write(
          `tidings dev: ${what} failed, tried again on the next tick: ${(error as Error).message}\n`,
        ),
    });
    return {
      name: 'timers',
      url: 'reconcile every 5 min, scheduled sends every 5 s',
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

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run the local stack (DynamoDB, SQS and SES emulators, the send runner) until Ctrl-C')
    .option('--config <file>', 'the config file')
    .option('--json', 'print the endpoints as one JSON document once ready')
    .option(
      '--ses-rate <n>',
      `the SES emulator's MaxSendRate (messages/s), enforced as SES does (default ${DEFAULT_SES_RATE})`,
    )
    .option(
      '--mailbox-keep <n>',
      `messages the SES mailbox keeps whole; older ones keep their envelope (default ${DEFAULT_MAILBOX_KEEP})`,
    )
    .action(async (options: { config?: string; json?: boolean; sesRate?: string; mailboxKeep?: string }) => {
      const { config } = await loadConfig(options.config);
      const sesRate = positiveNumber('--ses-rate', options.sesRate ?? String(DEFAULT_SES_RATE));
      const mailboxKeep = positiveNumber(
        '--mailbox-keep',
        options.mailboxKeep ?? String(DEFAULT_MAILBOX_KEEP),
      );
      const keyRing = await loadOrCreateLocalKeyRing();
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
        render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
        wiring: {
          archive: {
            objects: new FsArchiveObjects(DEV_ARCHIVE_DIR),
            templates: () => loadArchiveTemplates(),
          },
        },
      });
      const services = [];
      for (const start of devServices) services.push(await start({ stack, config, keyRing }));
      const http = services.find((s) => s.name === 'http');
      const info: LocalStackEndpoints = { ...stack.info, ...(http ? { httpUrl: http.url } : {}) };
      await writeDevState(info);
      if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else {
        const lines = [
          'tidings dev: the local stack is up (Ctrl-C stops it)',
          `  SES mailbox   ${info.mailboxUrl}   (every message sent; JSON at ${info.sesStoreUrl})`,
          ...services.map((s) => `  ${s.name.padEnd(13)} ${s.url}`),
          `  DynamoDB      ${info.endpoints.dynamodb}   table ${info.tableName}`,
          `  SQS           ${info.endpoints.sqs}   send queue ${info.sendQueueUrl}`,
          `  SES API       ${info.endpoints.ses}   ${sesRate}/s, keeps the last ${Math.floor(mailboxKeep)} messages whole`,
          `  endpoints written to ${DEV_STATE_PATH}: publish, digest and status use them`,
          '  try: npx tidings subscribers import examples/subscribers.csv; npx tidings publish examples/posts/podcast-episode.md',
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
    });
}
