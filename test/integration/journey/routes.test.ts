import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../../../functions/core/mime/build-message.ts';
import type { RenderedEdition } from '../../../functions/core/render/render-edition.ts';
import { type KeyRing, signToken } from '../../../functions/core/tokens/tokens.ts';
import { createRouteTable } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { startDevServer } from '../../../functions/local/dev-server.ts';
import { ThrottlingError } from '../../../functions/ports/errors.ts';
import { compileEdition } from '../../../functions/use-cases/edition-message/compile.ts';
import { manageLinks } from '../../../functions/use-cases/journey-mail.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { confirmThroughPage, journeyDeps, linkIn, mailTo, request } from './journey-env.ts';

const env = useEmulators();
let deps: Awaited<ReturnType<typeof journeyDeps>>;
let routes: RouteHandler;

beforeAll(async () => {
  deps = await journeyDeps(env());
  routes = createRouteTable(deps);
});

let nextIp = 0;

/** Subscribes through the form and returns the confirmation link from the email SES received. */
async function subscribeAndGetConfirmLink(email: string, lists: string[], name?: string): Promise<string> {
  const res = await routes(
    request('POST', '/subscribe', {
      body: { email, list: lists, ...(name ? { name } : {}) },
      ip: `203.0.113.${++nextIp}`,
    }),
  );
  expect(res.status).toBe(200);
  const mail = await mailTo(env(), email);
  return linkIn(mail.at(-1)?.html, '/confirm');
}

/** The same routes with SES refusing every send (a fault the emulator cannot produce), and their logs. */
function routesWithSesThrottling() {
  const logs: { level: string; event: string; data?: Record<string, unknown> }[] = [];
  const throttled = createRouteTable({
    ...deps,
    mail: {
      sendRaw: async () => {
        throw new ThrottlingError('SES throttled the send: Maximum sending rate exceeded.');
      },
      getQuota: () => deps.mail.getQuota(),
    },
    log: (level, event, data) => logs.push({ level, event, ...(data ? { data } : {}) }),
  });
  return { routes: throttled, logs };
}

/** The List-* header fields of a raw message, in order, each whole (a folded field keeps its CRLF). */
function listHeaderFields(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head.split(/\r\n(?![ \t])/).filter((field) => /^List-/i.test(field));
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('subscribe with double opt-in', () => {
  it('records a pending subscriber with consent evidence and emails a 7-day confirmation link', async () => {
    // Act
    const res = await routes(
      request('POST', '/subscribe', {
        body: { email: 'ada@example.org', list: 'essays', name: 'Ada' },
        ip: '198.51.100.20',
      }),
    );
    // Assess
    expect(res.status).toBe(200);
    expect(load(res.body)('h1').text()).toBe('Check your inbox');
    const stored = await deps.subscribers.getByEmail('ada@example.org');
    expect(stored?.lists.essays).toMatchObject({
      status: 'pending',
      cadence: 'weekly',
      consent: {
        at: '2026-11-28T10:00:00.000Z',
        method: 'double-opt-in',
        source: 'https://news.signal-noise.example.com/subscribe',
        ip: '198.51.100.20',
      },
    });
    expect(stored?.lists.podcast).toBeUndefined();
    const [mail] = await mailTo(env(), 'ada@example.org');
    expect(mail?.subject).toBe('Confirm your subscription to Signal & Noise: essays');
    expect(mail?.source).toBe('ada@signal-noise.example.com');
    expect(mail?.tags).toMatchObject({ kind: 'confirm', list: 'essays' });
    expect(mail?.parsed?.text).toContain('/confirm?token=');
    const token = new URL(linkIn(mail?.html, '/confirm')).searchParams.get('token') ?? '';
    const payload = JSON.parse(Buffer.from(token.split('.')[2] ?? '', 'base64url').toString()) as unknown[];
    expect(payload).toEqual([
      'confirm',
      stored?.id,
      'essays',
      Date.parse('2026-11-28T10:00:00Z') / 1000 + 7 * 86_400,
    ]);
  });

  it('takes JSON as well as the form', async () => {
    const res = await routes(
      request('POST', '/subscribe', {
        body: JSON.stringify({ email: 'json@example.org', lists: ['podcast'] }),
        headers: { 'content-type': 'application/json' },
        ip: '198.51.100.21',
      }),
    );
    expect(res.status).toBe(200);
    expect((await deps.subscribers.getByEmail('json@example.org'))?.lists.podcast?.status).toBe('pending');
    expect(await mailTo(env(), 'json@example.org')).toHaveLength(1);
  });

  it('confirms once, sends the welcome email of a list that has one, and a second click changes nothing', async () => {
    const link = await subscribeAndGetConfirmLink('bea@example.org', ['podcast']);
    deps.clock.advance(60_000);
    const first = await confirmThroughPage(routes, link, '198.51.100.30');
    const second = await confirmThroughPage(routes, link, '198.51.100.31');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(load(first.body)('h1').text()).toBe('You are subscribed');
    const stored = await deps.subscribers.getByEmail('bea@example.org');
    expect(stored?.lists.podcast).toMatchObject({
      status: 'subscribed',
      cadence: 'instant',
      consent: { confirmedIp: '198.51.100.30', confirmedAt: '2026-11-28T10:01:00.000Z' },
    });
    const mail = await mailTo(env(), 'bea@example.org');
    expect(mail.map((m) => m.subject)).toEqual([
      'Confirm your subscription to Signal & Noise: the podcast',
      'Welcome to Signal & Noise: the podcast',
    ]);
    const welcome = mail[1]?.parsed;
    expect(welcome?.subject).toBe('Welcome to Signal & Noise: the podcast');
    expect(mail[1]?.raw?.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(mail[1]?.raw?.toString()).toMatch(
      /^List-Unsubscribe: <https:\/\/news\.signal-noise\.example\.com\/unsubscribe\?token=[^\r\n]+>, <mailto:unsubscribe@signal-noise\.example\.com\?subject=unsubscribe>\r$/m,
    );
  });

  it('gives the welcome email the List-Id and List-Unsubscribe lines of an edition of its list, byte for byte', async () => {
    // Prepare: a confirmed subscriber, so a welcome email went out.
    const link = await subscribeAndGetConfirmLink('lin@example.org', ['podcast']);
    deps.clock.advance(60_000);
    expect((await confirmThroughPage(routes, link, '198.51.100.33')).status).toBe(200);
    const [confirmation, welcome] = await mailTo(env(), 'lin@example.org');
    const subscriber = await deps.subscribers.getByEmail('lin@example.org');
    // Act: an edition of the same list for the same subscriber, at the same instant (the same signed links).
    const edition: RenderedEdition = {
      editionId: 'podcast:post:list-headers',
      subject: 'An edition',
      preheader: '',
      html: '<p>An edition</p>',
      text: 'An edition',
      warnings: [],
      bytes: { html: 17, text: 10 },
    };
    const compiled = compileEdition(deps.config, edition, { id: edition.editionId, listId: 'podcast' });
    const editionRaw = buildMessage(
      compiled,
      { email: 'lin@example.org', subscriberId: subscriber?.id ?? '' },
      manageLinks(deps, subscriber?.id ?? '', 'podcast', deps.clock.now()),
      { messageId: 'list-headers@signal-noise.example.com', date: deps.clock.now() },
    );
    // Assess: the same three list header fields, each one unfolded line.
    const welcomeLines = listHeaderFields(welcome?.raw?.toString() ?? '');
    expect(welcome?.tags?.kind).toBe('welcome');
    expect(welcomeLines).toEqual(listHeaderFields(editionRaw));
    expect(welcomeLines.map((l) => l.split(':')[0])).toEqual([
      'List-ID',
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
    ]);
    expect(welcomeLines[0]).toBe('List-ID: "Signal & Noise: the podcast" <podcast.signal-noise.example.com>');
    for (const line of welcomeLines) expect(line).not.toMatch(/[\r\n]/);
    // The confirmation is not list mail yet: no list headers at all.
    expect(confirmation?.tags?.kind).toBe('confirm');
    expect(listHeaderFields(confirmation?.raw?.toString() ?? '')).toEqual([]);
  });

  it('confirms and says so when SES refuses the welcome email, and logs the failure', async () => {
    // Prepare: the confirmation email goes out normally; then SES throttles everything (a fault the
    // emulator cannot produce).
    const link = await subscribeAndGetConfirmLink('wel@example.org', ['podcast']);
    const { routes: throttled, logs } = routesWithSesThrottling();
    // Act
    const res = await confirmThroughPage(throttled, link, '198.51.100.32');
    // Assess: subscribed, told so, no welcome in the mailbox, and the operator can see why.
    expect(res.status).toBe(200);
    expect(load(res.body)('h1').text()).toBe('You are subscribed');
    const stored = await deps.subscribers.getByEmail('wel@example.org');
    expect(stored?.lists.podcast?.status).toBe('subscribed');
    expect((await mailTo(env(), 'wel@example.org')).map((m) => m.tags?.kind)).toEqual(['confirm']);
    expect(logs).toContainEqual({
      level: 'warn',
      event: 'welcome-email-failed',
      data: {
        subscriberId: stored?.id,
        listId: 'podcast',
        error: 'ThrottlingError (SES_THROTTLED)',
      },
    });
  });

  it('changes nothing on GET or HEAD /confirm: one button that POSTs, the subscriber stays pending, no welcome', async () => {
    // Prepare
    const link = await subscribeAndGetConfirmLink('head@example.org', ['podcast']);
    // Act: a corporate link scanner fetches the link, and a link checker asks for the headers only.
    const scanned = await routes(request('GET', pathOf(link), { ip: '198.51.100.94' }));
    const res = await routes(request('HEAD', pathOf(link), { ip: '198.51.100.95' }));
    // Assess: a page with one button that posts back to the same link; nothing confirmed, nothing sent.
    expect(scanned.status).toBe(200);
    const $ = load(scanned.body);
    expect($('h1').text()).toBe('Confirm your subscription');
    expect($('form').attr('method')).toBe('post');
    expect($('form').attr('action')).toBe(pathOf(link));
    expect($('form button').text()).toBe('Yes, subscribe me');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toContain('text/html');
    expect((await deps.subscribers.getByEmail('head@example.org'))?.lists.podcast?.status).toBe('pending');
    expect((await mailTo(env(), 'head@example.org')).map((m) => m.tags?.kind)).toEqual(['confirm']);
    const bad = await routes(request('HEAD', '/confirm?token=t1.nope.nope.nope'));
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('');
    // The button confirms.
    const pressed = await routes(request('POST', pathOf(link), { ip: '198.51.100.96' }));
    expect(load(pressed.body)('h1').text()).toBe('You are subscribed');
    expect((await deps.subscribers.getByEmail('head@example.org'))?.lists.podcast?.status).toBe('subscribed');
  });

  it('answers the same page, never a 500, when SES throttles the confirmation, and logs it', async () => {
    // Prepare: SES refuses every send (a fault the emulator cannot produce).
    const { routes: throttled, logs } = routesWithSesThrottling();
    const normal = await routes(
      request('POST', '/subscribe', {
        body: { email: 'fine@example.org', list: 'podcast' },
        ip: '198.51.100.96',
      }),
    );
    // Act
    const res = await throttled(
      request('POST', '/subscribe', {
        body: { email: 'throttled@example.org', list: 'podcast' },
        ip: '198.51.100.97',
      }),
    );
    const resent = await throttled(
      request('POST', '/resend', { body: { email: 'throttled@example.org' }, ip: '198.51.100.98' }),
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toBe(normal.body);
    expect(res.headers).toEqual(normal.headers);
    expect(resent.status).toBe(200);
    expect((await deps.subscribers.getByEmail('throttled@example.org'))?.lists.podcast?.status).toBe(
      'pending',
    );
    expect(logs.filter((l) => l.event === 'confirmation-send-failed')).toHaveLength(2);
    expect(logs.some((l) => l.event === 'http-error')).toBe(false);
    expect(await mailTo(env(), 'throttled@example.org')).toHaveLength(0);
  });

  it('answers a pending, a new and a suppressed address with the same bytes (no enumeration)', async () => {
    await subscribeAndGetConfirmLink('known@example.org', ['podcast']);
    const ask = (email: string) =>
      routes(
        request('POST', '/subscribe', {
          body: { email, list: 'podcast' },
          ip: `198.51.100.${40 + email.length}`,
        }),
      );
    await deps.suppressions.put({
      email: 'bounced@example.org',
      reason: 'hard-bounce',
      at: '2026-11-01T00:00:00.000Z',
    });
    const known = await ask('known@example.org');
    const fresh = await ask('nobody-yet@example.org');
    const suppressed = await ask('bounced@example.org');
    for (const other of [fresh, suppressed]) {
      expect(known.status).toBe(other.status);
      expect(Buffer.from(known.body).equals(Buffer.from(other.body))).toBe(true);
      expect(known.headers).toEqual(other.headers);
    }
    expect(await mailTo(env(), 'bounced@example.org')).toHaveLength(0);
  });

  it('does nothing for a bot that fills the honeypot, and says the same thing', async () => {
    const res = await routes(
      request('POST', '/subscribe', {
        body: { email: 'bot@example.org', list: 'podcast', website: 'http://spam' },
        ip: '198.51.100.50',
      }),
    );
    expect(res.status).toBe(200);
    expect(load(res.body)('h1').text()).toBe('Check your inbox');
    expect(await deps.subscribers.getByEmail('bot@example.org')).toBeUndefined();
    expect(await mailTo(env(), 'bot@example.org')).toHaveLength(0);
  });

  it('rate-limits a flood from one address with a clear 429 page', async () => {
    const statuses: number[] = [];
    let last = { status: 0, headers: {} as Readonly<Record<string, string>>, body: '' };
    for (let i = 0; i < 14; i++) {
      last = await routes(
        request('POST', '/subscribe', {
          body: { email: `flood${i}@example.org`, list: 'podcast' },
          ip: '192.0.2.99',
        }),
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(load(last.body)('h1').text()).toBe('Too many requests');
    expect(await mailTo(env(), 'flood13@example.org')).toHaveLength(0);
  });

  it('sends at most three confirmations to one address in an hour, whatever the IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await routes(
        request('POST', '/subscribe', {
          body: { email: 'target@example.org', list: 'essays' },
          ip: `192.0.2.${10 + i}`,
        }),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await mailTo(env(), 'target@example.org')).toHaveLength(3);
  });

  it('keeps CR/LF and HTML in the name harmless in the page, the headers and the body', async () => {
    const name = '<img src=x onerror=alert(1)>\r\nBcc: victim@example.org\r\n';
    const link = await subscribeAndGetConfirmLink('crlf@example.org', ['podcast'], name);
    const [mail] = await mailTo(env(), 'crlf@example.org');
    const raw = mail?.raw?.toString('utf8') ?? '';
    expect(mail?.destinations).toEqual(['crlf@example.org']);
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(mail?.parsed?.headers.has('bcc')).toBe(false);
    expect(
      mail?.parsed?.to && 'value' in mail.parsed.to ? mail.parsed.to.value.map((a) => a.address) : [],
    ).toEqual(['crlf@example.org']);
    expect(mail?.html).not.toContain('<img src=x');
    expect(mail?.html).not.toContain('onerror');
    expect(mail?.parsed?.text).toContain('Hi there,');
    expect(mail?.parsed?.text).not.toContain('onerror');
    const stored = await deps.subscribers.getByEmail('crlf@example.org');
    expect(stored?.name).toBe('<img src=x onerror=alert(1)> Bcc: victim@example.org');
    // The preferences page shows the name back, escaped.
    await confirmThroughPage(routes, link);
    const prefs = (await mailTo(env(), 'crlf@example.org')).at(-1);
    const page = await routes(request('GET', pathOf(linkIn(prefs?.html, '/preferences'))));
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<img src=x');
    expect(load(page.body)('#name').val()).toBe('<img src=x onerror=alert(1)> Bcc: victim@example.org');
  });

  it("never carries the form's name into the confirmation or a resent link (no spam relay)", async () => {
    // Prepare: a spammer posts a stranger's address with an advert as the name.
    const spam = 'Buy cheap pills at http://spam.example';
    // Act
    await subscribeAndGetConfirmLink('relay-victim@example.org', ['essays'], spam);
    await routes(
      request('POST', '/resend', { body: { email: 'relay-victim@example.org' }, ip: '198.51.100.90' }),
    );
    // Assess
    const mail = await mailTo(env(), 'relay-victim@example.org');
    expect(mail.map((m) => m.tags?.kind)).toEqual(['confirm', 'confirm']);
    for (const m of mail) {
      const raw = m.raw?.toString('utf8') ?? '';
      for (const text of [m.html ?? '', m.parsed?.text ?? '', raw]) {
        expect(text).not.toContain('spam.example');
        expect(text).not.toContain('pills');
      }
      expect(m.parsed?.text).toContain('Hi there,');
      const to = m.parsed?.to && 'value' in m.parsed.to ? m.parsed.to.value : [];
      expect(to).toEqual([{ address: 'relay-victim@example.org', name: '' }]);
    }
  });

  it('refuses a form without a list or with a bad address, with the form again and no email', async () => {
    const noList = await routes(
      request('POST', '/subscribe', { body: { email: 'nolist@example.org' }, ip: '198.51.100.60' }),
    );
    expect(noList.status).toBe(400);
    expect(load(noList.body)('[role=alert]').text()).toBe('Choose at least one list.');
    const bad = await routes(
      request('POST', '/subscribe', {
        body: { email: 'not an address', list: 'podcast' },
        ip: '198.51.100.61',
      }),
    );
    expect(bad.status).toBe(400);
    expect(await mailTo(env(), 'nolist@example.org')).toHaveLength(0);
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  async function subscribed(email: string): Promise<{ unsubscribe: string; preferences: string }> {
    const link = await subscribeAndGetConfirmLink(email, ['podcast']);
    await confirmThroughPage(routes, link);
    const welcome = (await mailTo(env(), email)).at(-1);
    return {
      unsubscribe: linkIn(welcome?.html, '/unsubscribe'),
      preferences: linkIn(welcome?.html, '/preferences'),
    };
  }

  it('never unsubscribes on GET: it shows one button', async () => {
    const { unsubscribe } = await subscribed('scanner@example.org');
    const res = await routes(request('GET', pathOf(unsubscribe)));
    expect(res.status).toBe(200);
    const $ = load(res.body);
    expect($('form[method=post] button').first().text()).toBe('Unsubscribe from Signal & Noise: the podcast');
    expect((await deps.subscribers.getByEmail('scanner@example.org'))?.lists.podcast?.status).toBe(
      'subscribed',
    );
  });

  it('unsubscribes on POST List-Unsubscribe=One-Click with a plain 200, no redirect, no cookie; a replay is harmless', async () => {
    const { unsubscribe } = await subscribed('oneclick@example.org');
    const post = () =>
      routes(
        request('POST', pathOf(unsubscribe), {
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          ip: '209.85.220.41',
        }),
      );
    const at = deps.clock.now().toISOString();
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(first.headers.location).toBeUndefined();
    expect(first.headers['set-cookie']).toBeUndefined();
    const after = await deps.subscribers.getByEmail('oneclick@example.org');
    expect(after?.lists.podcast).toMatchObject({
      status: 'unsubscribed',
      unsubscribeReason: 'one-click',
      unsubscribedAt: at,
    });
    deps.clock.advance(3_600_000);
    const replay = await post();
    expect(replay.status).toBe(200);
    expect((await deps.subscribers.getByEmail('oneclick@example.org'))?.lists.podcast?.unsubscribedAt).toBe(
      at,
    );
  });

  it('unsubscribes on a multipart/form-data one-click POST (RFC 8058 SHOULD, as Gmail and Yahoo send it)', async () => {
    // Prepare
    const { unsubscribe } = await subscribed('multipart@example.org');
    const boundary = '----=_Part_17_1882374.1764320000000';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    // Act
    const res = await routes(
      request('POST', pathOf(unsubscribe), {
        body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        ip: '209.85.220.41',
      }),
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.trim()).toBe('Unsubscribed from Signal & Noise: the podcast.');
    expect((await deps.subscribers.getByEmail('multipart@example.org'))?.lists.podcast).toMatchObject({
      status: 'unsubscribed',
      unsubscribeReason: 'one-click',
    });
  });

  it('takes the one-click POST through the dev server in both encodings', async () => {
    // Prepare
    const server = await startDevServer({ routes: createRouteTable(deps) });
    try {
      const urlencoded = await subscribed('dev-urlencoded@example.org');
      const multipart = await subscribed('dev-multipart@example.org');
      const form = new FormData();
      form.append('List-Unsubscribe', 'One-Click');
      // Act: fetch picks its own multipart boundary, like a mail provider would.
      const first = await fetch(`${server.url}${pathOf(urlencoded.unsubscribe)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      const second = await fetch(`${server.url}${pathOf(multipart.unsubscribe)}`, {
        method: 'POST',
        body: form,
      });
      // Assess
      expect([first.status, second.status]).toEqual([200, 200]);
      for (const email of ['dev-urlencoded@example.org', 'dev-multipart@example.org']) {
        expect((await deps.subscribers.getByEmail(email))?.lists.podcast?.status).toBe('unsubscribed');
      }
    } finally {
      await server.close();
    }
  });

  it('still unsubscribes with a link from mail older than the token lifetime', async () => {
    // Prepare: a genuine unsubscribe token whose 365-day exp passed long ago.
    await subscribed('oldmail@example.org');
    const id = (await deps.subscribers.getByEmail('oldmail@example.org'))?.id ?? '';
    const longAgo = Math.floor(deps.clock.now().getTime() / 1000) - 400 * 86_400;
    const token = signToken({ purpose: 'unsubscribe', sub: id, list: 'podcast', exp: longAgo }, deps.keys);
    // Act
    const res = await routes(
      request('POST', `/unsubscribe?token=${token}`, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    // Assess
    expect(res.status).toBe(200);
    expect((await deps.subscribers.getByEmail('oldmail@example.org'))?.lists.podcast?.status).toBe(
      'unsubscribed',
    );
  });

  it('accepts a link signed with a key rotated in after this container loaded its keys', async () => {
    // Prepare: this container knows only the old key; a fresher one signed the link with the new key.
    await subscribed('rotated@example.org');
    const id = (await deps.subscribers.getByEmail('rotated@example.org'))?.id ?? '';
    const oldKey = deps.keys.current;
    const newKey = { id: 'k-rotated', secret: new Uint8Array(32).fill(7) };
    let keys: KeyRing = { current: oldKey };
    const reloads: string[] = [];
    const live: KeyRing = {
      get current() {
        return keys.current;
      },
      get previous() {
        return keys.previous ?? [];
      },
      reload: async (kid) => {
        reloads.push(kid);
        keys = { current: newKey, previous: [oldKey] };
        return kid === newKey.id;
      },
    };
    const token = signToken(
      { purpose: 'unsubscribe', sub: id, list: 'podcast', exp: 2_000_000_000 },
      { current: newKey },
    );
    // Act
    const res = await createRouteTable({ ...deps, keys: live })(
      request('POST', `/unsubscribe?token=${token}`, { body: 'List-Unsubscribe=One-Click' }),
    );
    // Assess
    expect(res.status).toBe(200);
    expect(reloads).toEqual(['k-rotated']);
    expect((await deps.subscribers.getByEmail('rotated@example.org'))?.lists.podcast?.status).toBe(
      'unsubscribed',
    );
  });

  it('unsubscribes from everything from the page button', async () => {
    const { unsubscribe } = await subscribed('everything@example.org');
    const prefs = await routes(
      request(
        'GET',
        pathOf(linkIn((await mailTo(env(), 'everything@example.org')).at(-1)?.html, '/preferences')),
      ),
    );
    const action = load(prefs.body)('form').first().attr('action') ?? '';
    await routes(
      request('POST', action, {
        body: { name: 'Eve', list: ['podcast', 'essays'], 'cadence-essays': 'daily' },
      }),
    );
    const res = await routes(
      request('POST', pathOf(unsubscribe), {
        body: { 'List-Unsubscribe': 'One-Click', scope: 'all' },
        headers: { accept: 'text/html' },
      }),
    );
    expect(res.status).toBe(200);
    expect(load(res.body)('h1').text()).toBe('You are unsubscribed');
    const lists = (await deps.subscribers.getByEmail('everything@example.org'))?.lists ?? {};
    expect(Object.values(lists).map((m) => m.status)).toEqual(['unsubscribed', 'unsubscribed']);
  });

  it('refuses a POST without the one-click body', async () => {
    const { unsubscribe } = await subscribed('nobody-clicked@example.org');
    const res = await routes(request('POST', pathOf(unsubscribe), { body: 'hello=1' }));
    expect(res.status).toBe(400);
    expect((await deps.subscribers.getByEmail('nobody-clicked@example.org'))?.lists.podcast?.status).toBe(
      'subscribed',
    );
  });
});

describe('links that do not work', () => {
  const sign = (
    purpose: 'unsubscribe' | 'preferences' | 'confirm',
    sub: string,
    list: string | undefined,
    exp: number,
  ) => signToken({ purpose, sub, ...(list ? { list } : {}), exp }, deps.keys);

  it('refuses tampered, expired, wrong-purpose and other-list tokens with a 4xx page that offers a fresh link', async () => {
    await subscribeAndGetConfirmLink('victim@example.org', ['podcast']);
    const victim = await deps.subscribers.getByEmail('victim@example.org');
    const id = victim?.id ?? '';
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    const good = sign('unsubscribe', id, 'podcast', now + 600);
    const [v, kid, , mac] = good.split('.');
    const forged = Buffer.from(JSON.stringify(['unsubscribe', id, 'essays', now + 600])).toString(
      'base64url',
    );
    const cases: [string, number, string][] = [
      [`/unsubscribe?token=${v}.${kid}.${forged}.${mac}`, 400, 'tampered'],
      [`/unsubscribe?token=${good.slice(0, -2)}xx`, 400, 'bad signature'],
      [`/preferences?token=${sign('preferences', id, undefined, now - 1)}`, 410, 'expired preferences'],
      [`/unsubscribe?token=${sign('preferences', id, 'podcast', now + 600)}`, 400, 'wrong purpose'],
      [
        `/confirm?token=${sign('unsubscribe', id, 'podcast', now + 600)}`,
        400,
        'unsubscribe token on confirm',
      ],
      [`/unsubscribe?token=${good}&list=essays`, 400, 'token for another list'],
      ['/preferences?token=', 400, 'empty'],
      ['/preferences', 400, 'missing'],
    ];
    for (const [target, status, label] of cases) {
      for (const method of target.startsWith('/confirm') ? ['GET'] : ['GET', 'POST']) {
        const res = await routes(
          request(method, target, {
            body: { 'List-Unsubscribe': 'One-Click' },
            headers: { accept: 'text/html' },
          }),
        );
        expect({ label, method, status: res.status }).toEqual({ label, method, status });
        const $ = load(res.body);
        expect($('form[action="/resend"] input[type=email]')).toHaveLength(1);
        expect(res.body).not.toMatch(/at .*\.ts:\d+|Error:/);
      }
    }
    expect((await deps.subscribers.getByEmail('victim@example.org'))?.lists.podcast?.status).toBe('pending');
  });

  it('answers /resend the same way for known and unknown addresses, and mails only the known one', async () => {
    await subscribeAndGetConfirmLink('resend@example.org', ['essays']);
    const known = await routes(
      request('POST', '/resend', { body: { email: 'resend@example.org' }, ip: '198.51.100.70' }),
    );
    const unknown = await routes(
      request('POST', '/resend', { body: { email: 'stranger@example.org' }, ip: '198.51.100.71' }),
    );
    expect(known.status).toBe(200);
    expect(known.body).toBe(unknown.body);
    const mail = await mailTo(env(), 'resend@example.org');
    expect(mail.map((m) => m.subject)).toEqual([
      'Confirm your subscription to Signal & Noise: essays',
      'Confirm your subscription to Signal & Noise: essays',
    ]);
    expect(await mailTo(env(), 'stranger@example.org')).toHaveLength(0);
  });

  it('answers an unknown page with 404 and a wrong method with 405, as pages', async () => {
    expect((await routes(request('GET', '/admin'))).status).toBe(404);
    const put = await routes(request('PUT', '/subscribe'));
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('preferences', () => {
  it('changes cadence and name, and leaves an unchecked list', async () => {
    const link = await subscribeAndGetConfirmLink('prefs@example.org', ['podcast', 'essays']);
    await confirmThroughPage(routes, link);
    const welcome = (await mailTo(env(), 'prefs@example.org')).at(-1);
    const target = pathOf(linkIn(welcome?.html, '/preferences'));
    const page = load((await routes(request('GET', target))).body);
    expect(page('#cadence-essays').val()).toBe('weekly');
    const res = await routes(
      request('POST', target, {
        body: { name: 'Pat', list: 'essays', 'cadence-essays': 'daily', 'cadence-podcast': 'weekly' },
      }),
    );
    expect(res.status).toBe(200);
    expect(load(res.body)('[role=status]').text()).toBe('Your preferences are saved.');
    const stored = await deps.subscribers.getByEmail('prefs@example.org');
    expect(stored?.name).toBe('Pat');
    expect(stored?.lists.essays).toMatchObject({ status: 'subscribed', cadence: 'daily' });
    expect(stored?.lists.podcast).toMatchObject({ status: 'unsubscribed', unsubscribeReason: 'preferences' });
  });
});
