import { mkdir } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { selectPost } from '../../functions/core/posts/select-post.ts';
import { renderEdition } from '../../functions/core/render/render-edition.ts';
import { escapeHtml, fillSlots } from '../../functions/core/render/slots.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { anExampleConfig } from '../helpers/factories.ts';

// Example images live on example.com, which this machine cannot reach; the browser gets a stand-in image
// of the same kind (an SVG with the size the email asks for) so the layout is what a reader would see.
const STAND_IN_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675" preserveAspectRatio="xMidYMid slice">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#5b3cc4"/><stop offset="1" stop-color="#1f9d8b"/></linearGradient></defs>
<rect width="1200" height="675" fill="url(#g)"/><circle cx="600" cy="337" r="140" fill="#ffffff" fill-opacity="0.18"/></svg>`;

let browser: Browser;
let html: string;

beforeAll(async () => {
  const config = anExampleConfig();
  const posts = await loadPosts('examples/posts/podcast-episode.md', { siteUrl: config.site.url });
  const edition = await renderEdition({
    kind: 'post',
    posts: [selectPost(posts)],
    list: config.lists[0] ?? (undefined as never),
    config,
    templates: await loadTemplates(),
    editionId: 'podcast-instant-screenshot',
    now: new Date('2026-03-03T08:00:00Z'),
  });
  html = fillSlots(edition.html, {
    greeting: escapeHtml('Hi Sample Reader,'),
    email: 'sample.reader@example.com',
    unsubscribeUrl: 'https://news.signal-noise.example.com/unsubscribe?token=sample',
    preferencesUrl: 'https://news.signal-noise.example.com/preferences?token=sample',
  });
  browser = await chromium.launch({
    ...CHROMIUM_LAUNCH,
    args: [...CHROMIUM_LAUNCH.args],
  });
  await mkdir('docs/screenshots', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('the example podcast email in Chromium', () => {
  it.each([375, 600])(
    'fits a %i px wide screen with its title, audio card and video button visible',
    async (width) => {
      // Prepare
      const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.route('**/*', (route) =>
        route.request().resourceType() === 'image'
          ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STAND_IN_IMAGE })
          : route.abort(),
      );
      // Act
      await page.setContent(html, { waitUntil: 'load' });
      await page.screenshot({ path: `docs/screenshots/email-podcast-${width}.png`, fullPage: true });
      // Assess
      // Evaluated in the page (a string, as this project compiles without the DOM library).
      const layout = (await page.evaluate(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
      )) as { scrollWidth: number; innerWidth: number };
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      const title = page.locator('h1');
      await expect(title.isVisible()).resolves.toBe(true);
      expect(await title.textContent()).toContain('Ep. 42: The quiet web');
      const titleBox = await title.boundingBox();
      expect(titleBox && titleBox.x >= 0 && titleBox.x + titleBox.width <= width).toBe(true);
      await expect(page.getByText('Listen', { exact: false }).first().isVisible()).resolves.toBe(true);
      const play = page.locator('a.tidings-video-link .tidings-play').first();
      await expect(play.isVisible()).resolves.toBe(true);
      const playBox = await play.boundingBox();
      expect(playBox && playBox.x >= 0 && playBox.x + playBox.width <= width).toBe(true);
      await expect(page.locator('.t-footer a', { hasText: 'unsubscribe' }).isVisible()).resolves.toBe(true);
      await context.close();
    },
  );
});
