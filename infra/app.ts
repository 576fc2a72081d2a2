// `npx cdk synth|deploy` runs this (cdk.json: "npx tsx infra/app.ts"). It loads the deployment's own config
// (`-c config=<file>`, $TIDINGS_CONFIG, or ./tidings.config.ts|json|yaml in the current directory), never
// the example: a deploy that silently took examples/ would send from a domain nobody owns. It validates the
// config before anything is synthesized, and exits 1 with one line per wrong field.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../functions/adapters/fs/config-file.ts';
import { TidingsError } from '../functions/core/errors.ts';
import { deployConfigPath } from './config-path.ts';
import { buildTidingsApp } from './tidings-app.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = new App();
try {
  const path = deployConfigPath(app.node.tryGetContext('config') as string | undefined);
  const { config } = await loadConfig(path, process.cwd());
  buildTidingsApp({ app, config, projectRoot });
  app.synth();
} catch (error) {
  if (!(error instanceof TidingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
