// The Arabic and Chinese email and subscriber page as a reader sees them in Chromium (with the Noto CJK and
// Arabic fonts .ci/run installs): screenshots in docs/screenshots/, no sideways scrolling, the Arabic one
// mirrored (right to left), and no serious axe violations on the page.
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { siteTranslator } from '../../functions/core/i18n/for-config.ts';
import { translator } from '../../functions/core/i18n/translator.ts';
import { parseFeed } from '../../functions/core/posts/feed.ts';
import type { Post } from '../../functions/core/posts/post.ts';
import { renderEdition } from '../../functions/core/render/render-edition.ts';
import { escapeHtml, fillSlots, greetingFor } from '../../functions/core/render/slots.ts';
import { Pages } from '../../functions/http/pages.ts';
import { withPodcastFiles } from '../../functions/use-cases/podcast-files.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { anExampleConfigIn } from '../helpers/factories.ts';

const STAND_IN_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675"><rect width="1200" height="675" fill="#5b3cc4"/></svg>`;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
let episode: Post;

beforeAll(async () => {
  const [post] = parseFeed(readFileSync('examples/feeds/podcast.xml', 'utf8'), {
    source: 'https://signal-noise.example.com/podcast.xml',
  });
  episode = await withPodcastFiles(post as Post, async (url) =>
    url.endsWith('.json') ? readFileSync('examples/feeds/podcast-chapters.json', 'utf8') : undefined,
  );
  browser = await chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] });
  await mkdir('docs/screenshots', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** The podcast episode's email for a list in `language`, slots filled for a sample reader. */
async function email(language: string): Promise<string> {
  const config = anExampleConfigIn(language);
  const edition = await renderEdition({
    kind: 'post',
    posts: [episode],
    list: config.lists[0] ?? (undefined as never),
    config,
    templates: await loadTemplates(),
    editionId: `podcast-${language}-screenshot`,
    now: new Date('2026-03-10T08:00:00Z'),
  });
  return fillSlots(edition.html, {
    greeting: escapeHtml(greetingFor('Sample Reader', edition.greetings)),
    email: 'sample.reader@example.com',
    unsubscribeUrl: 'https://news.signal-noise.example.com/unsubscribe?token=sample',
    preferencesUrl: 'https://news.signal-noise.example.com/preferences?token=sample',
  });
}

async function show(html: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.route('**/*', (route) =>
    route.request().resourceType() === 'image'
      ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STAND_IN_IMAGE })
      : route.abort(),
  );
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

const overflow = async (page: Page) =>
  (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;

describe('emails and pages in Arabic and Chinese, in Chromium', () => {
  it.each([
    ['ar', 600],
    ['ar', 375],
    ['zh-CN', 600],
  ] as const)('%s: the podcast email at %i px', async (language, width) => {
    // Act
    const page = await show(await email(language), width);
    await page.screenshot({
      path: `docs/screenshots/email-podcast-${language}-${width}.png`,
      fullPage: true,
    });

    // Assess: it fits, and its chrome is in the language.
    const i18n = translator(language);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const view = page.getByText(i18n.t('email.viewInBrowser'), { exact: true });
    await expect(view.isVisible()).resolves.toBe(true);
    await expect(page.getByText(i18n.t('podcast.chapters'), { exact: true }).isVisible()).resolves.toBe(true);
    if (i18n.dir === 'rtl') {
      // Mirrored: the site's name on the right, "View in browser" on the left; the card's text right-aligned.
      const name = await page.locator('.t-header a').first().boundingBox();
      const link = await view.boundingBox();
      expect(name && link && link.x + link.width < name.x).toBe(true);
      const title = await page.locator('h1').boundingBox();
      const titleRight = title ? title.x + title.width : 0;
      expect(titleRight).toBeGreaterThan(width - 80);
    }
    await page.context().close();
  });

  it.each([['ar'], ['zh-CN']])(
    '%s: the subscribe page at 375 px, without serious axe violations',
    async (language) => {
      // Act
      const config = anExampleConfigIn(language);
      const pages = new Pages(config, siteTranslator(config));
      const page = await show(pages.subscribe({}, { embed: false }).html, 375);
      await page.screenshot({ path: `docs/screenshots/page-subscribe-${language}-375.png`, fullPage: true });
      await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
      const violations = (await page.evaluate(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
      )) as string[];

      // Assess
      const i18n = translator(language);
      expect(violations).toEqual([]);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await expect(
        page.getByRole('button', { name: i18n.t('page.subscribeButton'), exact: true }).isVisible(),
      ).resolves.toBe(true);
      if (i18n.dir === 'rtl') {
        // The email field's label starts on the right.
        const label = await page.locator('label[for=email]').boundingBox();
        const field = await page.locator('#email').boundingBox();
        expect(label && field && label.x + label.width).toBeGreaterThan(
          (field?.x ?? 0) + (field?.width ?? 0) - 4,
        );
      }
      await page.context().close();
    },
  );
});
