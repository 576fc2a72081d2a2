import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '../functions/core/config/schema.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface TidingsAppOptions {
  /** A validated config (from `loadConfig`). */
  readonly config: Config;
  /** The project root (package-lock.json, functions/, templates/). */
  readonly projectRoot: string;
  /** An existing App to build into (the CLI's); @default a new App writing to `outdir` */
  readonly app?: App;
  /** Where a new App writes the cloud assembly. @default - a temporary directory */
  readonly outdir?: string;
}

export interface TidingsApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** The stack names for a config: `<prefix>-stateful` and `<prefix>-stateless`. */
export function stackNames(config: Config): { stateful: string; stateless: string } {
  return { stateful: `${config.aws.stackPrefix}-stateful`, stateless: `${config.aws.stackPrefix}-stateless` };
}

/**
 * Builds the two stacks from a validated config and registers cdk-nag's AWS Solutions checks, so every
 * synth (the CLI's, and the tests') fails on an unacknowledged finding.
 */
export function buildTidingsApp(options: TidingsAppOptions): TidingsApp {
  const { config, projectRoot } = options;
  const app = options.app ?? new App(options.outdir ? { outdir: options.outdir } : {});
  const env = {
    ...(config.aws.account ? { account: config.aws.account } : {}),
    ...(config.aws.region ? { region: config.aws.region } : {}),
  };
  const names = stackNames(config);
  const stateful = new StatefulStack(app, names.stateful, {
    env,
    description: 'tidings: table, posts bucket, signing key (RETAIN)',
    terminationProtection: true,
  });
  // The validated config (defaults applied) goes into every bundle, where loadConfig() reads it back.
  const configDir = join(app.outdir, '.tidings');
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, 'tidings.config.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const stateless = new StatelessStack(app, names.stateless, {
    env,
    description: 'tidings: functions, send queue, schedules, endpoints, SES, alarms',
    config,
    configFile,
    projectRoot,
    statefulStackName: stateful.stackName,
  });
  stateless.addStackDependency(stateful);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}
