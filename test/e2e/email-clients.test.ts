import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import type { Post } from '../../functions/core/posts/post.ts';
import { renderEdition } from '../../functions/core/render/render-edition.ts';
import { escapeHtml, fillSlots } from '../../functions/core/render/slots.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { anExampleConfig, EXAMPLE_SOURCES } from '../helpers/factories.ts';

// What a reader sees where Chromium-with-images-on is not the client: images blocked (most desktop
// clients by default, and any image that fails to load) at a phone's and a desktop's width, and dark mode.

const STAND_IN_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="1456" height="816" viewBox="0 0 1456 816"><rect width="1456" height="816" fill="#2f5d8a"/><circle cx="728" cy="408" r="160" fill="#ffffff" fill-opacity="0.2"/></svg>`;

// Evaluated in the page, as a string (this project compiles without the DOM library): the text whose
// right edge passes the viewport, and the page's scroll width.
const OVERFLOW = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.right > window.innerWidth + 0.5) out.push(n.textContent.trim().slice(0, 40) + ' @' + Math.round(r.right));
    }
  }
  return { overflow: out, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
})()`;

// WCAG 2.1 contrast of each visible text against the first opaque background behind it.
const CONTRAST = `(() => {
  const rgb = (s) => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(',').map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const low = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    if (el.closest('[style*="display:none"], .tidings-preheader')) continue;
    const fg = rgb(style.color); const back = bg(el);
    const a = lum(fg) + 0.05; const b = lum(back) + 0.05;
    const ratio = Math.max(a, b) / Math.min(a, b);
    const size = parseFloat(style.fontSize); const bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) low.push(n.textContent.trim().slice(0, 30) + ': ' + ratio.toFixed(2) + ' < ' + need);
  }
  return low;
})()`;

interface Case {
  readonly name: string;
  readonly html: string;
}

let browser: Browser;
const cases: Case[] = [];

async function emailOf(post: Post): Promise<string> {
  const config = anExampleConfig();
  const edition = await renderEdition({
    kind: 'post',
    posts: [post],
    list: config.lists[0] ?? (undefined as never),
    config,
    templates: await loadTemplates(),
    editionId: `clients-${post.slug}`,
    now: new Date('2026-03-10T08:00:00Z'),
  });
  return fillSlots(edition.html, {
    greeting: escapeHtml('Hi Sample Reader,'),
    email: 'sample.reader@example.com',
    unsubscribeUrl: 'https://news.signal-noise.example.com/unsubscribe?token=sample',
    preferencesUrl: 'https://news.signal-noise.example.com/preferences?token=sample',
  });
}

beforeAll(async () => {
  const config = anExampleConfig();
  for (const source of EXAMPLE_SOURCES) {
    for (const post of await loadPosts(source, { siteUrl: config.site.url })) {
      cases.push({ name: `${source} › ${post.slug}`, html: await emailOf(post) });
    }
  }
  browser = await chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] });
  await mkdir('docs/screenshots', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

async function open(html: string, width: number, opts: { images: boolean; dark: boolean }): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  await page.route('**/*', (route) =>
    opts.images && route.request().resourceType() === 'image'
      ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STAND_IN_IMAGE })
      : route.abort(),
  );
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

// The screenshots kept in docs/: the Substack-style episode (wide image, Spotify, YouTube) and the podcast.
const SHOWN = ['ep-43-wide-pictures', 'ep-42-the-quiet-web'];

describe('the page checks themselves', () => {
  it('see text past the viewport and text below AA contrast', async () => {
    // Prepare: what today's body images did with images blocked (a 600 px box in a 375 px screen)
    const bad =
      '<body style="margin:0"><div style="overflow:hidden"><div style="width:640px"><p style="color:#bbbbbb;background:#ffffff">Grey words on white that run past the edge of a phone, as every line of a body did when a 600 px image box was drawn in a 375 px screen</p></div></div></body>';
    // Act
    const page = await open(bad, 375, { images: false, dark: false });
    const layout = (await page.evaluate(OVERFLOW)) as { overflow: string[]; scrollWidth: number };
    const low = (await page.evaluate(CONTRAST)) as string[];
    await page.context().close();
    // Assess: scrollWidth alone would not see it (overflow is hidden); the text edges do
    expect(layout.scrollWidth).toBe(375);
    expect(layout.overflow.length).toBeGreaterThan(0);
    expect(low).toHaveLength(1);
  });
});

describe('every example email with images blocked', () => {
  it('has examples, among them the Substack episode with a wide image', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
    expect(cases.some((c) => c.name.includes('substack-episode.xml'))).toBe(true);
  });

  it.each([375, 600])('keeps every line of text inside a %i px wide screen', async (width) => {
    for (const c of cases) {
      // Act
      const page = await open(c.html, width, { images: false, dark: false });
      const layout = (await page.evaluate(OVERFLOW)) as {
        overflow: string[];
        scrollWidth: number;
        innerWidth: number;
      };
      const shown = SHOWN.find((s) => c.name.endsWith(s));
      if (shown)
        await page.screenshot({
          path: `docs/screenshots/email-${shown}-images-off-${width}.png`,
          fullPage: true,
        });
      await page.context().close();
      // Assess
      expect(layout.overflow, c.name).toEqual([]);
      expect(layout.scrollWidth, c.name).toBeLessThanOrEqual(layout.innerWidth);
    }
  });
});

describe('every example email in both colour schemes', () => {
  it.each(['light', 'dark'] as const)(
    'keeps every text at WCAG AA contrast in the %s scheme',
    async (scheme) => {
      for (const c of cases) {
        // Act
        const page = await open(c.html, 600, { images: true, dark: scheme === 'dark' });
        const low = (await page.evaluate(CONTRAST)) as string[];
        await page.context().close();
        // Assess
        expect(low, `${c.name} (${scheme})`).toEqual([]);
      }
    },
  );

  it.each([375, 600])(
    'shows the Substack episode and the podcast in light and dark at %i px',
    async (width) => {
      for (const c of cases.filter((x) => SHOWN.some((s) => x.name.endsWith(s)))) {
        for (const scheme of ['light', 'dark'] as const) {
          // Act
          const page = await open(c.html, width, { images: true, dark: scheme === 'dark' });
          const shown = SHOWN.find((s) => c.name.endsWith(s));
          await page.screenshot({
            path: `docs/screenshots/email-${shown}-${scheme}-${width}.png`,
            fullPage: true,
          });
          const layout = (await page.evaluate(OVERFLOW)) as { overflow: string[] };
          // Assess: the whole video picture is one link, corner to corner
          await page.locator('.tidings-video-frame').first().scrollIntoViewIfNeeded();
          const frame = await page.locator('.tidings-video-frame').first().boundingBox();
          const corner = frame
            ? await page.evaluate(
                `document.elementFromPoint(${frame.x + 4}, ${frame.y + 4})?.closest('a')?.getAttribute('href') ?? null`,
              )
            : null;
          await page.context().close();
          expect(layout.overflow, `${c.name} ${scheme}`).toEqual([]);
          expect(corner).toBe('https://www.youtube.com/watch?v=M7lc1UVf-VE');
        }
      }
    },
  );
});
