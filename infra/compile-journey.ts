// Run at bundling time for the http function (TidingsFunction's `compileJourney`):
//   node --import tsx infra/compile-journey.ts <validated-config.json> <templates dir> <out journey.json>
// Compiles the confirmation and welcome emails (MJML → HTML and text with Handlebars fields) for the
// deployed config, so the http function fills them with Handlebars alone and bundles no mjml.
import { readFile, writeFile } from 'node:fs/promises';
import { loadJourneyTemplates } from '../functions/adapters/fs/journey-templates.ts';
import type { Config } from '../functions/core/config/schema.ts';

const [configFile, templatesDir, outFile] = process.argv.slice(2);
if (!configFile || !templatesDir || !outFile) {
  process.stderr.write('usage: compile-journey.ts <config.json> <templates dir> <out.json>\n');
  process.exit(1);
}
// The config file is the one cdk synth validated (every default applied), as the bundles read it.
const config = JSON.parse(await readFile(configFile, 'utf8')) as Config;
await writeFile(outFile, JSON.stringify(await loadJourneyTemplates(config, templatesDir)));
