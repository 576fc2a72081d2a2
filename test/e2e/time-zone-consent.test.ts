import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exampleConfigInput from '../../examples/tidings.config.ts';
import { loadArchiveTemplates } from '../../functions/adapters/fs/archive-templates.ts';
import { loadJourneyTemplates } from '../../functions/adapters/fs/journey-templates.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { buildArchive } from '../../functions/core/archive/build.ts';
import { archiveSite } from '../../functions/core/archive/site.ts';
import { validateConfig } from '../../functions/core/config/validate.ts';
import { signToken } from '../../functions/core/tokens/tokens.ts';
import type { RouteHandler } from '../../functions/http/types.ts';
import { startDevServer } from '../../functions/local/dev-server.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { aKeyRing, aPost, aSubscriber } from '../helpers/factories.ts';

// The sign-up form of a list that delivers at local time (`deliverAt`), in Debian's Chromium set to Tokyo
// time: the form offers an unticked box that shares the browser's time zone (its script runs under the
// page's Content-Security-Policy); the zone is stored only when the reader ticks it; a forged, unknown
// zone is dropped without an error page; a form with no such list shows no box. A reader already subscribed
// sets it on the preferences page, with the same box and script; the web archive's form offers it too.

const PUBLIC = 'https://news.signal-noise.example.com';
const SITE = 'https://signal-noise.example.com';
const CONSENT = /local time/;
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#5b3cc4"/><path d="M14 40c6-14 14-14 18 0s12 14 18 0" stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round"/></svg>`;

let stack: LocalStack;
let config: ReturnType<typeof validateConfig>;
let server: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;
const cspErrors: string[] = [];

async function until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const stored = (email: string) => until(email, () => stack.adapters.subscribers.getByEmail(email));

async function signUp(email: string, share: boolean): Promise<void> {
  await page.goto(`${PUBLIC}/subscribe`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('checkbox', { name: /the podcast/ }).check();
  if (share) await page.getByRole('checkbox', { name: CONSENT }).check();
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
}

beforeAll(async () => {
  config = validateConfig(
    {
      ...exampleConfigInput,
      lists: exampleConfigInput.lists.map((l) => (l.id === 'podcast' ? { ...l, deliverAt: '08:00' } : l)),
    },
    'test config',
  );
  let routes: RouteHandler = async () => ({ status: 503, headers: {}, body: '' });
  server = await startDevServer({ routes: (req) => routes(req) });
  stack = await startLocalStack({
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
  });
  routes = stack.app.routes({ templates: await loadJourneyTemplates(config) });
  profile = mkdtempSync(join(tmpdir(), 'tidings-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM_LAUNCH,
    headless: true,
    args: [...CHROMIUM_LAUNCH.args],
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Asia/Tokyo',
  });
  await context.route(`${PUBLIC}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${server.url}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  await context.route(`${SITE}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO }),
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.close();
  await stack?.stop();
});

describe('the time zone on the sign-up form', () => {
  it('offers an unticked box; without a tick the zone is not stored', async () => {
    await page.goto(`${PUBLIC}/subscribe`);
    const box = page.getByRole('checkbox', { name: CONSENT });
    await expect.poll(() => box.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
      await page.screenshot({
        path: `docs/screenshots/page-subscribe-local-time-${width}.png`,
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await signUp('no.zone@example.org', false);
    const reader = await stored('no.zone@example.org');
    expect(reader.lists.podcast?.status).toBe('pending');
    expect(reader.timeZone).toBeUndefined();
    expect(cspErrors).toEqual([]);
  });

  it("stores the browser's zone when the reader ticks the box", async () => {
    await signUp('tokyo.reader@example.org', true);
    expect((await stored('tokyo.reader@example.org')).timeZone).toBe('Asia/Tokyo');
  });

  it('drops a forged zone the runtime does not know, and answers as usual', async () => {
    // The page's CSP allows no fetch: post as a script outside the browser would, to the same server.
    const response = await page.request.post(`${server.url}/subscribe`, {
      form: { email: 'forged@example.org', list: 'podcast', timeZone: 'Mars/Olympus' },
    });
    const answer = { status: response.status(), html: await response.text() };
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('Check your inbox');
    const reader = await stored('forged@example.org');
    expect(reader.lists.podcast?.status).toBe('pending');
    expect(reader.timeZone).toBeUndefined();
  });

  it('shows no box on a form without a list that delivers at local time', async () => {
    await page.goto(`${PUBLIC}/subscribe?list=essays`);
    expect(await page.locator('#tz').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
  });
});

describe('the time zone on the preferences page', () => {
  const preferencesUrl = (subscriberId: string) =>
    `${PUBLIC}/preferences?token=${signToken(
      { purpose: 'preferences', sub: subscriberId, exp: Math.floor(Date.now() / 1000) + 3600 },
      aKeyRing(),
    )}`;

  it("says which zone the list's emails arrive in, and stores the browser's only when ticked", async () => {
    await stack.adapters.subscribers.put(aSubscriber({ id: 's_moved', email: 'moved@example.org' }));
    await page.goto(preferencesUrl('s_moved'));
    const fieldset = page.getByRole('group', { name: 'Delivery time' });
    expect(await fieldset.textContent()).toContain(
      'Emails from Signal & Noise: the podcast arrive at 08:00 in UTC, the list’s time zone: you have not set one.',
    );
    const box = page.getByRole('checkbox', { name: "Use this browser's time zone instead" });
    await expect.poll(() => box.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    // Saved without the tick: nothing about the zone changes.
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('saved');
    expect((await stack.adapters.subscribers.get('s_moved'))?.timeZone).toBeUndefined();
    // Ticked: the browser's zone (Tokyo) is stored, and the page says so.
    await page.getByRole('checkbox', { name: "Use this browser's time zone instead" }).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect
      .poll(() => page.getByRole('group', { name: 'Delivery time' }).textContent())
      .toContain('in your time zone: Asia/Tokyo');
    expect((await stack.adapters.subscribers.get('s_moved'))?.timeZone).toBe('Asia/Tokyo');
    await page.screenshot({ path: 'docs/screenshots/page-preferences-local-time-1280.png', fullPage: true });
    expect(cspErrors).toEqual([]);
  });

  it('drops a forged zone, and shows no delivery time to a reader of lists sent at no set time', async () => {
    await stack.adapters.subscribers.put(
      aSubscriber({
        id: 's_essays',
        email: 'essays@example.org',
        lists: {
          essays: {
            status: 'subscribed',
            cadence: 'instant',
            updatedAt: '2026-01-05T10:00:00.000Z',
            consent: { at: '2026-01-05T10:00:00.000Z', method: 'double-opt-in', source: PUBLIC },
          },
        },
      }),
    );
    const response = await page.request.post(
      `${server.url}/preferences${new URL(preferencesUrl('s_essays')).search}`,
      {
        form: { action: 'save', list: 'essays', timeZone: 'Mars/Olympus' },
      },
    );
    expect(response.status()).toBe(200);
    expect((await stack.adapters.subscribers.get('s_essays'))?.timeZone).toBeUndefined();
    await page.goto(preferencesUrl('s_essays'));
    expect(await page.locator('#tz').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
  });
});

describe("the time zone on the web archive's subscribe form", () => {
  it("offers the box on a post page of a list sent at local time, and the pages store the browser's zone", async () => {
    const built = buildArchive(
      [aPost({ id: 'ep-tz', slug: 'ep-tz', lists: ['podcast'] })],
      archiveSite(config),
      await loadArchiveTemplates(),
    );
    const body = built.files.find((f) => f.path === 'ep-tz/index.html')?.body ?? '';
    await context.route(`${PUBLIC}/archive/ep-tz/`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }),
    );
    await page.goto(`${PUBLIC}/archive/ep-tz/`);
    const box = page.getByRole('checkbox', { name: CONSENT });
    await expect.poll(() => box.isVisible()).toBe(true);
    await page.getByLabel('Your email address').fill('archive.reader@example.org');
    await box.check();
    await page
      .locator('section.subscribe')
      .screenshot({ path: 'docs/screenshots/archive-subscribe-local-time.png' });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    const reader = await stored('archive.reader@example.org');
    expect(reader.lists.podcast?.status).toBe('pending');
    expect(reader.timeZone).toBe('Asia/Tokyo');
  });
});
