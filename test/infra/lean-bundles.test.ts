import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCompiledJourney } from '../../functions/adapters/fs/compiled-journey.ts';
import { loadJourneyTemplates } from '../../functions/adapters/fs/journey-templates.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { fillJourney } from '../../functions/core/render/journey-fill.ts';
import { renderEdition } from '../../functions/core/render/render-edition.ts';
import {
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  bundleAliases,
} from '../../infra/constructs/bundling.ts';
import { anExampleConfig, aPost } from '../helpers/factories.ts';

// The Lambda bundles replace packages tidings never calls with stubs (BUNDLE_STUBS: htmlnano and through it
// the TypeScript compiler, cheerio's URL and stream loaders, …). These tests build the renderer with the
// construct's exact esbuild options and check that it renders what the unbundled renderer renders, and
// that the journey emails compiled at build time (infra/compile-journey.ts) fill as the in-process ones.
const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'out', 'test-lean-bundles');
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const config = anExampleConfig();
const list = config.lists.find((l) => l.id === 'podcast') ?? config.lists[0];
const input = async () => ({
  kind: 'post' as const,
  posts: [aPost()],
  list: list as NonNullable<typeof list>,
  config,
  templates: await loadTemplates(),
  editionId: 'lean-1',
  now: new Date('2026-11-29T08:00:00Z'),
});

describe('the lean Lambda bundles', () => {
  it('render an edition and the journey emails exactly as the unbundled renderer', async () => {
    // Prepare: the renderer bundled as the construct bundles a handler.
    mkdirSync(OUT, { recursive: true });
    const entry = join(OUT, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { renderEdition } from ${JSON.stringify(join(ROOT, 'functions/core/render/render-edition.ts'))};`,
        `export { compileJourney } from ${JSON.stringify(join(ROOT, 'functions/core/render/journey-template.ts'))};`,
      ].join('\n'),
    );
    const outfile = join(OUT, 'renderer.mjs');
    const result = await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLE_TARGET,
      banner: { js: BUNDLE_BANNER },
      minify: true,
      mainFields: BUNDLE_MAIN_FIELDS,
      external: [...BUNDLE_EXTERNALS],
      alias: bundleAliases(ROOT),
      metafile: true,
      logLevel: 'error',
    });
    const bundled = (await import(pathToFileURL(outfile).href)) as {
      renderEdition: typeof renderEdition;
      compileJourney: typeof import('../../functions/core/render/journey-template.ts').compileJourney;
    };
    const { loadJourneySources } = await import('../../functions/adapters/fs/journey-templates.ts');
    // Act
    const lean = await bundled.renderEdition(await input());
    const full = await renderEdition(await input());
    const leanJourney = await bundled.compileJourney(await loadJourneySources(), config);
    const fullJourney = await loadJourneyTemplates(config);
    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => p.includes('node_modules/typescript/'))).toEqual([]);
    expect(inputs.filter((p) => p.includes('node_modules/htmlnano/'))).toEqual([]);
    expect(lean.html).toBe(full.html);
    expect(lean.text).toBe(full.text);
    expect(lean.html).toContain('{{unsubscribeUrl}}');
    expect(leanJourney).toEqual(fullJourney);
  });

  it('fills the journey emails compiled by the build step like the ones compiled in process', async () => {
    // Prepare: the validated config as cdk synth writes it into the bundles.
    mkdirSync(OUT, { recursive: true });
    const configFile = join(OUT, 'tidings.config.json');
    const journeyFile = join(OUT, 'journey.json');
    writeFileSync(configFile, JSON.stringify(config));
    // Act: the command TidingsFunction runs after bundling the http function.
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/compile-journey.ts', configFile, join(ROOT, 'templates'), journeyFile],
      { cwd: ROOT, encoding: 'utf8' },
    );
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const compiled = await loadCompiledJourney(journeyFile);
    const data = {
      subject: 'Confirm your subscription to <The Podcast>',
      preheader: 'One click',
      heading: 'Confirm',
      greeting: 'Hi there,',
      intro: 'Please confirm.',
      listsHtml: '<ul><li><strong>The Podcast</strong></li></ul>',
      listsText: ' * The Podcast',
      buttonLabel: 'Confirm',
      actionUrl: 'https://news.example.com/confirm?token=a.b&x=1',
      note: 'Ignore this email if you did not ask.',
      email: 'reader@example.com',
    };
    const filled = fillJourney(compiled.confirm, data);
    expect(filled).toEqual(fillJourney((await loadJourneyTemplates(config)).confirm, data));
    expect(filled.html).toContain('Confirm your subscription to &lt;The Podcast&gt;');
    expect(filled.html).toContain('href="https://news.example.com/confirm?token&#x3D;a.b&amp;x&#x3D;1"');
    expect(filled.html).toContain('<li><strong>The Podcast</strong></li>');
    expect(filled.html).not.toMatch(/tjrn[0-9a-f]{16}/);
    expect(filled.text).toContain('https://news.example.com/confirm?token=a.b&x=1');
    expect(filled.text).toContain(' * The Podcast');
  });
});
