import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../functions/adapters/fs/archive-templates.ts';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { type ArchiveFile, buildArchive, digestPageFile } from '../../functions/core/archive/build.ts';
import { archiveSite } from '../../functions/core/archive/site.ts';
import { translator } from '../../functions/core/i18n/translator.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { anExampleConfig, anExampleConfigWithLanguages } from '../helpers/factories.ts';

// The archive as a reader sees it: Chromium loads the built pages from the public URL (served from memory
// here, as CloudFront serves them from the bucket), at phone and desktop widths, in light and dark mode.
const STAND_IN_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675"><rect width="1200" height="675" fill="#1f9d8b"/></svg>`;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
let files: ArchiveFile[];
/** A weekly digest of the essays list, as the digest function writes its page. */
const DIGEST_ID = 'essays-weekly-3f9a1c2b7d4e';
let digestHeading: string;
let arabicHeading: string;
const config = anExampleConfig();
const site = archiveSite(config);

beforeAll(async () => {
  const posts = [
    ...(await loadPosts('examples/posts', { siteUrl: config.site.url })),
    ...(await loadPosts('examples/feeds/substack.xml', { siteUrl: config.site.url })),
  ];
  const templates = await loadArchiveTemplates();
  const build = buildArchive(posts, site, templates);
  const inDigest = posts.filter((p) => build.posts.some((b) => b.slug === p.slug)).slice(0, 4);
  const digest = {
    editionId: DIGEST_ID,
    listId: 'essays',
    date: '2026-12-01T08:00:00.000Z',
    posts: inDigest,
  };
  // The same digest for an essays list written in Arabic (right to left), beside the English one.
  const arabic = archiveSite(anExampleConfigWithLanguages({ essays: 'ar' }));
  const arabicPage = digestPageFile({ ...digest, editionId: `${DIGEST_ID}-ar` }, arabic, templates);
  files = [...build.files, digestPageFile(digest, site, templates), arabicPage];
  digestHeading = `The digest of ${site.i18n?.date(digest.date)}`;
  arabicHeading = translator('ar').t('archive.digestHeading', { date: translator('ar').date(digest.date) });
  browser = await chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] });
  await mkdir('docs/screenshots', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

async function open(path: string, width: number, scheme: 'light' | 'dark') {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (route.request().resourceType() === 'image')
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STAND_IN_IMAGE });
    const prefix = `${site.archiveUrl}/`;
    if (!url.href.startsWith(prefix)) return route.abort();
    const rest = url.pathname.slice(new URL(prefix).pathname.length);
    const file = files.find(
      (f) => f.path === (rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest),
    );
    return file
      ? route.fulfill({ status: 200, contentType: file.contentType, body: file.body })
      : route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(`${site.archiveUrl}/${path}`, { waitUntil: 'load' });
  return { page, context };
}

describe('the web archive in Chromium', () => {
  for (const [name, path] of [
    ['index', ''],
    ['episode', 'ep-42-the-quiet-web/'],
    ['digest', `digests/${DIGEST_ID}/`],
    ['digest-ar', `digests/${DIGEST_ID}-ar/`],
  ] as const) {
    for (const width of [375, 1280]) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`shows the ${name} page at ${width} px (${scheme}) without sideways scrolling or serious axe violations`, async () => {
          // Act
          const { page, context } = await open(path, width, scheme);
          await page.screenshot({
            path: `docs/screenshots/archive-${name}-${width}-${scheme}.png`,
            fullPage: true,
          });
          await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
          const violations = (await page.evaluate(
            `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
          )) as string[];
          const layout = (await page.evaluate(
            '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
          )) as { scrollWidth: number; innerWidth: number };
          const h1 = await page.locator('h1').first().textContent();
          await context.close();

          // Assess
          expect(violations).toEqual([]);
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
          expect(h1?.trim()).toBe(
            name === 'index'
              ? 'Signal & Noise'
              : name === 'digest'
                ? digestHeading
                : name === 'digest-ar'
                  ? arabicHeading
                  : 'Ep. 42: The quiet web, with Maya Okafor and Tomás Reyes',
          );
        });
      }
    }
  }

  it('goes from a digest’s page to each of its posts, as from the email’s View in browser', async () => {
    // Act
    const { page, context } = await open(`digests/${DIGEST_ID}/`, 375, 'light');
    const links = await page
      .locator('.posts h2 a')
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    const [title, href] = links[0] ?? [];
    await page.getByRole('link', { name: String(title) }).click();
    const opened = { url: page.url(), h1: (await page.locator('h1').first().textContent())?.trim() };
    await context.close();

    // Assess
    expect(links).toHaveLength(4);
    expect(opened).toEqual({ url: href, h1: title });
  });

  it('goes from the index to a post and back through the links a reader clicks', async () => {
    // Act
    const { page, context } = await open('', 375, 'light');
    await page.getByRole('link', { name: 'The case for slow email' }).click();
    const title = await page.title();
    await page.getByRole('link', { name: 'Archive' }).click();
    const back = page.url();
    await context.close();

    // Assess
    expect(title).toBe('The case for slow email · Signal & Noise');
    expect(back).toBe(`${site.archiveUrl}/`);
  });
});
