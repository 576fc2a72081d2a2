// The composition root of the `tidings` CLI: one resolver for where a command acts — the running
// `tidings dev` stack (default), a deployed stack (`--stack`), or one DynamoDB table (`--endpoint`,
// `--table`) — and the application built on it.
// Each target's modules are imported when that target is chosen (the CloudFormation and Scheduler clients
// for --stack, the dev stack's files for the default), so a command loads only what it uses.
import { EMULATOR_CREDENTIALS } from '../adapters/aws/clients.ts';
import type { Config } from '../core/config/schema.ts';
import { ConfigError, NotFoundError } from '../core/errors.ts';
import type { LocalStackEndpoints } from '../local/local-stack.ts';
import { type App, type AppOptions, buildApp } from './app.ts';
import { awsAdapters } from './aws.ts';
import { LAZY_USE_CASES } from './lazy-use-cases.ts';

/** A table named without a Region: the emulators' (local.ts LOCAL_REGION), not imported from there. */
const TABLE_REGION = 'us-east-1';

/** The target flags every command that reads or writes a stack takes (cli/target-options.ts adds them). */
export interface TargetFlags {
  /** A deployed stack: its prefix (`Tidings`) or its stateful stack's name. */
  readonly stack?: string | undefined;
  /** A local DynamoDB endpoint (fake credentials); subscriber commands only. */
  readonly endpoint?: string | undefined;
  /** One DynamoDB table (alone: on AWS with the shell's credentials); subscriber commands only. */
  readonly table?: string | undefined;
  readonly region?: string | undefined;
}

/** Where a command acts, resolved from its flags. */
export type Target =
  | { readonly kind: 'dev'; readonly dev: LocalStackEndpoints }
  | {
      readonly kind: 'stack';
      readonly stackName: string;
      readonly region: string;
      readonly tableName: string;
      /** Empty when the stateless stack is not deployed (the table alone is enough to read). */
      readonly sendQueueUrl: string;
      /** The scheduled sends' one-time schedules (commands that schedule or cancel a send). */
      readonly timer?: { readonly groupName: string; readonly targetArn: string; readonly roleArn: string };
    }
  | {
      readonly kind: 'table';
      readonly tableName: string;
      readonly region: string;
      readonly endpoint?: string;
    };

/** What the command needs of its target. */
export interface TargetNeeds {
  /** The command enqueues sends (publish, digest): a deployed target must have its send queue. */
  readonly queue?: boolean;
  /** The command schedules or cancels a send: a deployed target must have the send timers' group. */
  readonly timer?: boolean;
}

function regionFor(config: Config, flags: TargetFlags): string | undefined {
  return flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? config.aws.region;
}

/**
 * The one target resolver: `--stack` reads the deployed stacks' outputs (the table, the send queue);
 * `--endpoint`/`--table` (or TIDINGS_DYNAMODB_ENDPOINT/TIDINGS_TABLE) name one table; otherwise the
 * running `tidings dev` stack, or one line saying how to start it.
 */
export async function resolveTarget(
  config: Config,
  flags: TargetFlags,
  needs: TargetNeeds = {},
): Promise<Target> {
  if (flags.stack) {
    const region = regionFor(config, flags);
    if (!region) {
      throw new ConfigError(
        'REGION_MISSING',
        `--stack ${flags.stack}: no Region: set AWS_REGION or aws.region in the config`,
      );
    }
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    const { readStackOutputs, StackOutputKey, statefulStackName } = await import(
      '../adapters/aws/stack-outputs.ts'
    );
    const stackName = statefulStackName(flags.stack);
    const prefix = stackName.replace(/-stateful$/, '');
    const cloudFormation = new CloudFormationClient({ region });
    try {
      const stateful = await readStackOutputs(cloudFormation, stackName);
      const tableName = stateful[StackOutputKey.TableName];
      if (!tableName) {
        throw new NotFoundError(
          'STACK_OUTPUT_MISSING',
          `stack ${stackName} has no TableName output; redeploy with \`npx cdk deploy --all\``,
        );
      }
      let sendQueueUrl = '';
      let timer: { groupName: string; targetArn: string; roleArn: string } | undefined;
      if (needs.queue || needs.timer) {
        const stateless = await readStackOutputs(cloudFormation, `${prefix}-stateless`);
        const output = (key: keyof typeof StackOutputKey) => {
          const value = stateless[StackOutputKey[key]];
          if (!value) {
            throw new NotFoundError(
              'STACK_OUTPUT_MISSING',
              `stack ${prefix}-stateless has no ${key} output; redeploy with \`npx cdk deploy --all\``,
            );
          }
          return value;
        };
        if (needs.queue) sendQueueUrl = output('SendQueueUrl');
        if (needs.timer) {
          timer = {
            groupName: output('SendTimerGroup'),
            targetArn: output('SendTimerTargetArn'),
            roleArn: output('SendTimerRoleArn'),
          };
        }
      }
      return { kind: 'stack', stackName, region, tableName, sendQueueUrl, ...(timer ? { timer } : {}) };
    } finally {
      cloudFormation.destroy();
    }
  }
  const endpoint = flags.endpoint ?? process.env.TIDINGS_DYNAMODB_ENDPOINT;
  const table = flags.table ?? process.env.TIDINGS_TABLE;
  if (endpoint || table) {
    return {
      kind: 'table',
      tableName: table ?? 'tidings',
      region: regionFor(config, flags) ?? TABLE_REGION,
      ...(endpoint ? { endpoint } : {}),
    };
  }
  const { findDevStack } = await import('../local/local-stack.ts');
  return { kind: 'dev', dev: await findDevStack({ stackOption: true }) };
}

/** The application on a resolved target. Close it with `app.destroy()`. */
export async function appOnTarget(target: Target, options: AppOptions): Promise<App> {
  const withFetch: AppOptions = {
    fetchFeed: async (url, validators) =>
      (await import('../adapters/web/feed-fetch.ts')).fetchDocument(url, validators),
    useCases: LAZY_USE_CASES,
    audit: (event) => process.stderr.write(`${JSON.stringify(event)}\n`),
    ...options,
  };
  switch (target.kind) {
    case 'dev': {
      const { localApp, withLocalPages } = await import('./local.ts');
      const { loadArchiveTemplates } = await import('../adapters/fs/archive-templates.ts');
      const { FsArchiveObjects } = await import('../adapters/fs/fs-archive-objects.ts');
      // The dev stack's emails link to the pages it serves (withLocalPages), and what is published here
      // goes into the archive those pages serve, so that "View in browser" opens it.
      return localApp(target.dev, {
        ...withFetch,
        config: withLocalPages(withFetch.config, target.dev.httpUrl),
        ...(target.dev.archiveDir && !withFetch.archive
          ? {
              archive: {
                objects: new FsArchiveObjects(target.dev.archiveDir),
                templates: () => loadArchiveTemplates(),
              },
            }
          : {}),
      }).app;
    }
    case 'stack': {
      const { schedulerSendTimer } = await import('../adapters/aws/scheduler-send-timer.ts');
      return buildApp(
        awsAdapters({
          tableName: target.tableName,
          sendQueueUrl: target.sendQueueUrl,
          // The SDK clients honour the standard AWS_ENDPOINT_URL_<SERVICE> variables themselves; the lean
          // SES transport is not an SDK client, so it is handed SES's here (a rehearsal against emulators).
          aws: {
            region: target.region,
            ...(process.env.AWS_ENDPOINT_URL_SES
              ? { endpoints: { ses: process.env.AWS_ENDPOINT_URL_SES } }
              : {}),
          },
        }),
        target.timer
          ? { ...withFetch, sendTimer: schedulerSendTimer({ region: target.region, ...target.timer }) }
          : withFetch,
      );
    }
    case 'table':
      return buildApp(
        awsAdapters({
          tableName: target.tableName,
          // These commands never touch the send queue.
          sendQueueUrl: '',
          aws: {
            region: target.region,
            ...(target.endpoint
              ? { endpoints: { dynamodb: target.endpoint }, credentials: EMULATOR_CREDENTIALS }
              : {}),
          },
        }),
        withFetch,
      );
  }
}

/** Resolves the target from the flags and builds the application on it. */
export async function cliApp(
  flags: TargetFlags,
  options: AppOptions,
  needs: TargetNeeds = {},
): Promise<{ readonly app: App; readonly target: Target }> {
  const target = await resolveTarget(options.config, flags, needs);
  return { app: await appOnTarget(target, options), target };
}
