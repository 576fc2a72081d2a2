import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { loadConfig } from '../../functions/adapters/fs/config-file.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import type { HandlerName } from '../../infra/handlers.ts';
import { buildTidingsApp, type TidingsApp } from '../../infra/tidings-app.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** The example config, validated exactly as `cdk synth` validates it. */
export async function exampleConfig(): Promise<Config> {
  return (await loadConfig('examples/tidings.config.ts', PROJECT_ROOT)).config;
}

/** One finding cdk-nag (or another validation plugin) reported and nobody acknowledged. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
}

/** CDK's context key listing the stacks whose assets are bundled; an empty list bundles none. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/**
 * Builds and synthesizes the whole app into a temp directory, bundling every handler with esbuild unless
 * `bundle: false`. A synth with unacknowledged cdk-nag findings throws; `findings` lists them, read from the
 * validation report.
 */
export function synthApp(
  config: Config,
  options: { readonly bundle?: boolean } = {},
): TidingsApp & { findings: Finding[]; synthError?: Error } {
  const outdir = mkdtempSync(join(tmpdir(), 'tidings-cdk-'));
  const app = new App({ outdir, ...(options.bundle === false ? { context: NO_BUNDLING } : {}) });
  const built = buildTidingsApp({ config, projectRoot: PROJECT_ROOT, app });
  let synthError: Error | undefined;
  try {
    built.app.synth();
  } catch (error) {
    synthError = error as Error;
  }
  return { ...built, findings: readFindings(outdir), ...(synthError ? { synthError } : {}) };
}

/** A new App and Stack for one construct under test; handlers are not bundled (their code is not inspected). */
export function freshStack(): Stack {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'tidings-construct-')), context: NO_BUNDLING });
  return new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

function readFindings(outdir: string): Finding[] {
  const path = join(outdir, 'validation-report.json');
  if (!existsSync(path)) return [];
  const report = JSON.parse(readFileSync(path, 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((c) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        path: c.constructPath,
      })),
    ),
  );
}

/** One IAM policy statement as synthesized. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A synthesized Lambda function: its logical id and its resource. */
export interface FunctionEntry {
  readonly logicalId: string;
  readonly resource: ReturnType<Template['findResources']>[string];
}

/**
 * The function of one handler (found by its description, `tidings <name>: …`). It fails the test when the
 * function is missing, so a least-privilege check on it can never pass for want of a function.
 */
export function functionOf(template: Template, name: HandlerName): FunctionEntry {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, r]) =>
    String(r.Properties.Description).startsWith(`tidings ${name}:`),
  );
  expect(found, `the ${name} function`).toHaveLength(1);
  const [entry] = found;
  if (!entry) throw new Error(`no ${name} function in the template`);
  return { logicalId: entry[0], resource: entry[1] };
}

/** Every statement of the policies attached to the function's role (its own log group's included). */
export function statementsOf(template: Template, fn: FunctionEntry): Statement[] {
  const roleId = (fn.resource.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  // Every function's role holds at least its log group statement: none means the role was not found.
  expect(statements.length, `statements of ${fn.logicalId}'s role`).toBeGreaterThan(0);
  return statements;
}

/** Every statement of every IAM policy in the template. */
export function allStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (r) => (r.Properties.PolicyDocument.Statement as Statement[]) ?? [],
  );
}

export function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
