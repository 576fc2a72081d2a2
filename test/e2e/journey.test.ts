import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJourneyTemplates } from '../../functions/adapters/fs/journey-templates.ts';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { selectPost } from '../../functions/core/posts/select-post.ts';
import type { RouteHandler } from '../../functions/http/types.ts';
import { startDevServer } from '../../functions/local/dev-server.ts';
import { readSesStore, type SentMessage } from '../../functions/local/emulators.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.ts';
import { aKeyRing, anExampleConfig, aSubscriber } from '../helpers/factories.ts';

// The subscriber's journey in Debian's Chromium, against the subscriber pages of `tidings dev` (the same
// dev server, route table and local stack) on the embedded emulators. The config's publicUrl stays the
// production one, as in the emails; the browser resolves it to the dev server, like DNS pointing the
// domain at the Function URL. Every step is checked in the SES emulator's store and in the table.

const PUBLIC = 'https://news.signal-noise.example.com';
const SITE = 'https://signal-noise.example.com';
const READER = 'rea.der@example.org';
const OTHER = 'early.bird@example.org';
const WIDTHS = [375, 1280] as const;
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#5b3cc4"/><path d="M14 40c6-14 14-14 18 0s12 14 18 0" stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round"/></svg>`;

let stack: LocalStack;
let server: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;

/** Waits until `check` returns a value (the pipeline sends asynchronously). Not a timing assertion. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function mailTo(address: string): Promise<SentMessage[]> {
  return (await readSesStore(stack.info.sesStoreUrl)).filter((m) => m.destinations.includes(address));
}

async function snap(name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
    await page.screenshot({ path: `docs/screenshots/page-${name}-${width}.png`, fullPage: true });
    // Nothing may stick out sideways on a phone.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect({ name, width, overflow }).toEqual({ name, width, overflow: 0 });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

function linkIn(html: string | undefined, path: string): string {
  const hrefs = [...(html ?? '').matchAll(/href="([^"]+)"/g)].map((m) =>
    (m[1] ?? '').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
  );
  const found = hrefs.find((h) => h.startsWith(PUBLIC) && new URL(h).pathname === path);
  if (!found) throw new Error(`no ${path} link in the email`);
  return found;
}

async function publish(file: string) {
  const config = stack.app.config;
  const post = selectPost(await loadPosts(file, { siteUrl: config.site.url }));
  return stack.app.publish(post);
}

beforeAll(async () => {
  const config = anExampleConfig();
  let routes: RouteHandler = async () => ({ status: 503, headers: {}, body: '' });
  server = await startDevServer({ routes: (req) => routes(req) });
  stack = await startLocalStack({
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
  });
  routes = stack.app.routes({ templates: await loadJourneyTemplates(config) });
  // Someone already subscribed (instant), so every instant edition really goes out.
  await stack.adapters.subscribers.put(aSubscriber({ id: 's_earlybird', email: OTHER }));

  profile = mkdtempSync(join(tmpdir(), 'tidings-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM_LAUNCH,
    headless: true,
    args: [...CHROMIUM_LAUNCH.args],
    viewport: { width: 1280, height: 900 },
  });
  await context.route(`${PUBLIC}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${server.url}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  await context.route(`${SITE}/**`, (route) =>
    route.request().url().endsWith('/logo.png')
      ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO })
      : route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<!doctype html><title>Signal &amp; Noise</title>',
        }),
  );
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.close();
  await stack?.stop();
});

describe('the subscriber journey in Chromium', () => {
  let confirmUrl = '';
  let preferencesUrl = '';
  let digestUnsubscribe = '';

  it('1. subscribes through the form: a pending subscriber with consent evidence', async () => {
    await page.goto(`${PUBLIC}/subscribe`);
    await snap('subscribe');
    await page.getByLabel('Email address').fill(READER);
    await page.getByLabel('Name (optional)').fill('Rea Der');
    await page.getByRole('checkbox', { name: /the podcast/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    await snap('check-inbox');
    const stored = await stack.adapters.subscribers.getByEmail(READER);
    expect(stored?.name).toBe('Rea Der');
    expect(stored?.lists.podcast).toMatchObject({
      status: 'pending',
      cadence: 'instant',
      consent: { method: 'double-opt-in', source: `${PUBLIC}/subscribe`, ip: '127.0.0.1' },
    });
    expect(stored?.lists.essays).toBeUndefined();
  });

  it('2. finds the confirmation email in the SES store', async () => {
    const [mail] = await until('the confirmation email', async () => {
      const m = await mailTo(READER);
      return m.length > 0 && m;
    });
    expect(mail?.subject).toBe('Confirm your subscription to Signal & Noise: the podcast');
    expect(mail?.source).toBe('hello@signal-noise.example.com');
    confirmUrl = linkIn(mail?.html, '/confirm');
  });

  it('3. opens its link, presses the button: subscribed, and the welcome email arrives', async () => {
    await page.goto(confirmUrl);
    // Opening the link (what a mail scanner does too) confirms nothing: one button does.
    expect(await page.locator('h1').textContent()).toBe('Confirm your subscription');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast?.status).toBe('pending');
    await snap('confirm-page');
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
    await snap('confirmed');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast).toMatchObject({
      status: 'subscribed',
      cadence: 'instant',
      consent: { confirmedIp: '127.0.0.1' },
    });
    const welcome = await until('the welcome email', async () =>
      (await mailTo(READER)).find((m) => m.subject === 'Welcome to Signal & Noise: the podcast'),
    );
    preferencesUrl = linkIn(welcome.html, '/preferences');
  });

  it('4. changes the cadence on the preferences page', async () => {
    await page.goto(preferencesUrl);
    await snap('preferences');
    await page.getByLabel('How often').first().selectOption('daily');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Your preferences are saved.');
    await snap('preferences-saved');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast).toMatchObject({
      status: 'subscribed',
      cadence: 'daily',
    });
  });

  it('5. publishes a post: not in the instant edition any more, but in the daily digest', async () => {
    const before = (await mailTo(READER)).length;
    const published = await publish('examples/posts/podcast-episode.md');
    expect(published.lists.map((l) => l.action)).toEqual(['planned']);
    await until('the instant edition at the instant subscriber', async () =>
      (await mailTo(OTHER)).find((m) => m.subject.startsWith('Ep. 42')),
    );
    expect((await mailTo(READER)).length).toBe(before);
    const digest = await stack.app.digest('podcast', 'daily');
    expect(digest.action).toBe('planned');
    const arrived = await until('the daily digest', async () =>
      (await mailTo(READER)).find((m) => m.tags.edition?.startsWith('podcast-daily')),
    );
    expect(arrived.html).toContain('Ep. 42');
    const raw = arrived.raw?.toString('utf8') ?? '';
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    digestUnsubscribe = /^List-Unsubscribe: <([^>]+)>/m.exec(raw)?.[1] ?? '';
    expect(digestUnsubscribe.startsWith(`${PUBLIC}/unsubscribe?token=`)).toBe(true);
  });

  it('6. unsubscribes with the RFC 8058 one-click POST; the next post does not reach them', async () => {
    // The unsubscribe page first (a GET changes nothing), for the screenshot.
    await page.goto(digestUnsubscribe);
    await snap('unsubscribe');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast?.status).toBe('subscribed');
    // What Gmail does: a POST of the List-Unsubscribe URL, no cookies, body List-Unsubscribe=One-Click.
    const target = new URL(digestUnsubscribe);
    const res = await fetch(`${server.url}${target.pathname}${target.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('location')).toBeNull();
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast).toMatchObject({
      status: 'unsubscribed',
      unsubscribeReason: 'one-click',
    });
    const before = (await mailTo(READER)).length;
    await publish('examples/posts/short-note.md');
    await until('the note at the instant subscriber', async () =>
      (await mailTo(OTHER)).find((m) => m.subject === 'A note on our new schedule'),
    );
    const digest = await stack.app.digest('podcast', 'daily');
    if (digest.action === 'planned') expect(digest.plan.enqueued).toBe(0);
    expect((await mailTo(READER)).length).toBe(before);
    // The page's own button says so too (a replay is harmless).
    await page.goto(digestUnsubscribe);
    await page.getByRole('button', { name: /^Unsubscribe from Signal/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are unsubscribed');
    await snap('unsubscribed');
  });

  it('7. resubscribes through the form and confirms again', async () => {
    await page.goto(`${PUBLIC}/subscribe?list=podcast`);
    await page.getByLabel('Email address').fill(READER);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast?.status).toBe('pending');
    const confirm = await until('the second confirmation email', async () => {
      const mails = (await mailTo(READER)).filter((m) => m.subject.startsWith('Confirm your subscription'));
      return mails.length === 2 && mails[1];
    });
    await page.goto(linkIn(confirm.html, '/confirm'));
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
    expect((await stack.adapters.subscribers.getByEmail(READER))?.lists.podcast).toMatchObject({
      status: 'subscribed',
      cadence: 'instant',
    });
  });

  it('shows the other pages well at both widths: embed, bad link, fresh link, 404, too many requests', async () => {
    await page.goto(`${PUBLIC}/subscribe?embed=1&list=essays`);
    await snap('subscribe-embed');
    await page.goto(`${PUBLIC}/preferences?token=t1.test-1.bm9wZQ.forged`);
    expect(await page.locator('h1').textContent()).toBe('This link does not work');
    await snap('invalid-link');
    await page.getByLabel('Email address').fill(READER);
    await page.getByRole('button', { name: 'Send me a fresh link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    await snap('link-sent');
    await until('the fresh preferences link', async () =>
      (await mailTo(READER)).find((m) => m.subject.startsWith('Your link to manage')),
    );
    await page.goto(`${PUBLIC}/nowhere`);
    await snap('not-found');
    // Last, because it uses up this IP's allowance.
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      const res = await page.request.post(`${server.url}/subscribe`, {
        form: { email: `flood${i}@example.org`, list: 'podcast' },
      });
      status = res.status();
    }
    expect(status).toBe(429);
    await page.goto(`${PUBLIC}/subscribe`);
    await page.getByLabel('Email address').fill('one.more@example.org');
    await page.getByRole('checkbox', { name: /essays/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Too many requests');
    await snap('rate-limited');
  });
});
