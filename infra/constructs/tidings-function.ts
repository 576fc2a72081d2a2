import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LambdaEnv } from '../../functions/adapters/aws/lambda-env.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/core/metrics-names.ts';
import {
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  BUNDLED_CONFIG_FILE,
  BUNDLED_JOURNEY_FILE,
  BUNDLED_TEMPLATES_DIR,
  bundleAliases,
} from './bundling.ts';

export interface TidingsFunctionProps {
  /** The project root: where `package-lock.json`, `functions/` and `templates/` are. */
  readonly projectRoot: string;
  /** The handler's file, relative to `projectRoot`, e.g. `functions/handlers/send.ts`. It must export `handler`. */
  readonly entry: string;
  /**
   * A JSON file with the validated config, copied into the bundle as `tidings.config.json` so the handler's
   * `loadConfig()` reads the very config that was deployed.
   */
  readonly configFile: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Extra environment variables (names, ARNs, URLs; never secret values). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default lambda.Runtime.NODEJS_24_X */
  readonly runtime?: lambda.Runtime;
  /** Copy `templates/` into the bundle (functions that render need it). @default true */
  readonly includeTemplates?: boolean;
  /**
   * Compile the confirmation and welcome emails for the config at build time (infra/compile-journey.ts)
   * into `journey.json` in the bundle, so the function fills them without mjml. @default false
   */
  readonly compileJourney?: boolean;
  /** What the function does, shown in the console. @default - none */
  readonly description?: string;
  /**
   * Bundle a source map and turn on `--enable-source-maps`, for readable stack traces. Off by default:
   * Node then parses the map at the first error and remaps every later stack, which costs cold-start and
   * error-path time on a hot function. @default false
   */
  readonly sourceMaps?: boolean;
}

/**
 * A NodejsFunction with the project's defaults:
 * - bundled locally by esbuild (a devDependency; no Docker), minified, ESM, the AWS SDK inside (faster
 *   cold start than the runtime's copy; see bundling.ts), the packages tidings never calls stubbed out
 *   (BUNDLE_STUBS), and source maps only when asked (`sourceMaps`);
 * - Node 24 on ARM64 (Graviton: about 20 % cheaper per GB-s than x86);
 * - its own log group with a retention, and a role that may write only to that log group (no
 *   AWSLambdaBasicExecutionRole with `logs:*` on `*`);
 * - Powertools environment: service name, metrics namespace, JSON logs;
 * - the deployed config and the MJML templates inside the bundle.
 */
export class TidingsFunction extends NodejsFunction {
  /** The function's log group (retention set, removed with the stack: logs are not state). */
  public readonly functionLogGroup: logs.LogGroup;
  /** The execution role; grants are added to it by the stacks. */
  public override readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TidingsFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });
    // Only this function's log group; the stream ARNs are `<group>:log-stream:<name>`.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const includeTemplates = props.includeTemplates ?? true;
    const templatesDir = join(props.projectRoot, 'templates');
    super(scope, id, {
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      logGroup,
      role,
      ...(props.description ? { description: props.description } : {}),
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        [LambdaEnv.ConfigPath]: `/var/task/${BUNDLED_CONFIG_FILE}`,
        ...(includeTemplates ? { [LambdaEnv.TemplatesDir]: `/var/task/${BUNDLED_TEMPLATES_DIR}` } : {}),
        ...(props.compileJourney ? { [LambdaEnv.JourneyPath]: `/var/task/${BUNDLED_JOURNEY_FILE}` } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        minify: true,
        sourceMap: props.sourceMaps ?? false,
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: BUNDLE_MAIN_FIELDS,
        banner: BUNDLE_BANNER,
        // The AWS SDK v3 is bundled (minified, tree-shaken), not loaded from the runtime's copy: the send
        // function's cold import fell from 411–681 ms (SDK external) to ≈ 100 ms, at ≈ 375 KB (budgets
        // ≤ 150 ms, ≤ 500 KB; test/bench/bundles.bench.ts, fresh node process, median). Only the credential
        // providers the default chain never reaches on Lambda stay external (see bundling.ts).
        bundleAwsSDK: true,
        externalModules: [...BUNDLE_EXTERNALS],
        esbuildArgs: {
          '--alias': Object.entries(bundleAliases(props.projectRoot)).map(([from, to]) => `${from}=${to}`),
        },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp "${props.configFile}" "${join(outputDir, BUNDLED_CONFIG_FILE)}"`,
            ...(includeTemplates
              ? [`cp -R "${templatesDir}" "${join(outputDir, BUNDLED_TEMPLATES_DIR)}"`]
              : []),
            ...(props.compileJourney
              ? [
                  `cd "${props.projectRoot}" && node --import tsx infra/compile-journey.ts "${props.configFile}" "${templatesDir}" "${join(outputDir, BUNDLED_JOURNEY_FILE)}"`,
                ]
              : []),
          ],
        },
      },
    });
    this.functionLogGroup = logGroup;
    this.role = role;
  }
}
