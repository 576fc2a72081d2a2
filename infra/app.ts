// `npx cdk synth|deploy` runs this (cdk.json: "npx tsx infra/app.ts"). It loads the same config file as the
// CLI (./tidings.config.ts, $TIDINGS_CONFIG, or `-c config=<file>`), validates it before anything is
// synthesized, and exits 1 with one line per wrong field.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../functions/adapters/fs/config-file.ts';
import { TidingsError } from '../functions/core/errors.ts';
import { buildTidingsApp } from './tidings-app.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = new App();
const fromContext = app.node.tryGetContext('config') as string | undefined;
try {
  const { config } = await loadConfig(fromContext, projectRoot);
  buildTidingsApp({ app, config, projectRoot });
  app.synth();
} catch (error) {
  if (!(error instanceof TidingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
