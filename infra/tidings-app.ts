import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '../functions/core/config/schema.ts';
import { ConfigError } from '../functions/core/errors.ts';
import { CertificateStack } from './stacks/certificate-stack.ts';
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
  /** The us-east-1 certificate stack, when the config names no `aws.certificateArn`. */
  readonly certificate?: CertificateStack;
}

/** The stack names for a config: `<prefix>-stateful`, `<prefix>-stateless` and `<prefix>-certificate`. */
export function stackNames(config: Config): { stateful: string; stateless: string; certificate: string } {
  const prefix = config.aws.stackPrefix;
  return {
    stateful: `${prefix}-stateful`,
    stateless: `${prefix}-stateless`,
    certificate: `${prefix}-certificate`,
  };
}

/**
 * Builds the stacks (and, without a certificateArn, the us-east-1 certificate stack) from a validated config and registers cdk-nag's AWS Solutions checks, so every
 * synth (the CLI's, and the tests') fails on an unacknowledged finding.
 */
export function buildTidingsApp(options: TidingsAppOptions): TidingsApp {
  const { config, projectRoot } = options;
  const app = options.app ?? new App(options.outdir ? { outdir: options.outdir } : {});
  // The CLI's Region (CDK_DEFAULT_REGION) when the config names none: the certificate's cross-region
  // reference needs a concrete Region, and all the stacks go to the same one.
  const region = config.aws.region ?? process.env.CDK_DEFAULT_REGION;
  const env = {
    ...(config.aws.account ? { account: config.aws.account } : {}),
    ...(region ? { region } : {}),
  };
  const names = stackNames(config);
  const publicHost = new URL(config.publicUrl).hostname;
  const stateful = new StatefulStack(app, names.stateful, {
    env,
    description: 'tidings: table, posts bucket, signing key, SES identity (RETAIN)',
    terminationProtection: true,
    sending: {
      domain: config.sending.domain,
      ...(config.sending.mailFromDomain ? { mailFromDomain: config.sending.mailFromDomain } : {}),
    },
  });
  // CloudFront reads certificates only in us-east-1. Without a certificateArn, one is created there and its
  // ARN crosses Regions through CDK's cross-region references, which need the stateless stack's Region.
  let certificate: CertificateStack | undefined;
  if (!config.aws.certificateArn) {
    if (!region)
      throw new ConfigError(
        'CONFIG_INVALID',
        'aws.region: needed to create the certificate of publicUrl in us-east-1; set aws.region, or aws.certificateArn to use an existing certificate',
      );
    certificate = new CertificateStack(app, names.certificate, {
      env: { ...env, region: 'us-east-1' },
      description: `tidings: the certificate of ${publicHost} (us-east-1, for CloudFront)`,
      domainName: publicHost,
    });
  }
  // The validated config (defaults applied) goes into every bundle, where loadConfig() reads it back.
  const configDir = join(app.outdir, '.tidings');
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, 'tidings.config.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const stateless = new StatelessStack(app, names.stateless, {
    env,
    description: 'tidings: functions, send queue, schedules, CloudFront, SES configuration set, alarms',
    config,
    configFile,
    projectRoot,
    statefulStackName: stateful.stackName,
    ...(certificate ? { certificate: certificate.certificate, crossRegionReferences: true } : {}),
  });
  stateless.addStackDependency(stateful);
  // The certificate's ARN is the one CDK reference between stacks (the stateful values are imported by
  // their explicit export names): strong, so the certificate cannot be deleted while the distribution uses it.
  Annotations.of(stateless).acknowledgeWarning(
    '@aws-cdk/core:crossStackReferencesDefaultStrong',
    'strong is intended: the certificate stays while the distribution uses it',
  );
  if (certificate) stateless.addStackDependency(certificate);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, ...(certificate ? { certificate } : {}) };
}
