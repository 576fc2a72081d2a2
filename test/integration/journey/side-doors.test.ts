// The journey's side doors (issue 13 §5): altered tokens, old unsubscribe links that open a preferences
// page, and `+tag` spellings of one inbox. On the emulators, through the route table.
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { backgroundTasks } from '../../../functions/http/background.ts';
import { createRouteTable } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { confirmThroughPage, journeyDeps, linkIn, mailTo, request } from './journey-env.ts';

const env = useEmulators();
let deps: Awaited<ReturnType<typeof journeyDeps>>;
let routes: RouteHandler;

beforeAll(async () => {
  deps = await journeyDeps(env());
  routes = createRouteTable(deps);
});

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

let nextIp = 0;

/** Subscribes `email` to `lists` and confirms; returns the welcome email's links. */
async function aReader(email: string, lists: string[]) {
  await routes(request('POST', '/subscribe', { body: { email, list: lists }, ip: `203.0.113.${++nextIp}` }));
  const confirmation = (await mailTo(env(), email)).at(-1);
  await confirmThroughPage(routes, linkIn(confirmation?.html, '/confirm'));
  const welcome = (await mailTo(env(), email)).at(-1);
  return {
    unsubscribe: linkIn(welcome?.html, '/unsubscribe'),
    preferences: linkIn(welcome?.html, '/preferences'),
  };
}

describe('an unsubscribe link from old mail', () => {
  it('opens a preferences page that can leave lists but adds one only through a new confirmation', async () => {
    // Prepare: a podcast reader; two years later someone holds their unsubscribe link.
    const { unsubscribe } = await aReader('oldlink@example.org', ['podcast']);
    deps.clock.advance(2 * 365 * 86_400_000);
    const page = await routes(request('GET', pathOf(unsubscribe)));
    const preferences = load(page.body)('a')
      .map((_, a) => load(page.body)(a).attr('href'))
      .get()
      .find((href) => href.includes('/preferences?token='));
    expect(preferences).toBeDefined();
    const before = (await mailTo(env(), 'oldlink@example.org')).length;

    // Act: through that page, tick every list.
    const res = await routes(
      request('POST', pathOf(preferences ?? ''), {
        body: { list: ['podcast', 'essays'], 'cadence-essays': 'weekly' },
      }),
    );

    // Assess: the new list waits for a confirmation sent to the reader; nothing else changed.
    expect(res.status).toBe(200);
    const stored = await deps.subscribers.getByEmail('oldlink@example.org');
    expect(stored?.lists.essays?.status).toBe('pending');
    expect(stored?.lists.essays?.consent?.confirmedAt).toBeUndefined();
    expect(stored?.lists.podcast?.status).toBe('subscribed');
    const mail = await mailTo(env(), 'oldlink@example.org');
    expect(mail.slice(before).map((m) => m.subject)).toEqual([
      'Confirm your subscription to Signal & Noise: essays',
    ]);
    // Leaving still works from that page, and the unsubscribe link itself still works.
    await routes(request('POST', pathOf(preferences ?? ''), { body: { list: 'essays' } }));
    expect((await deps.subscribers.getByEmail('oldlink@example.org'))?.lists.podcast?.status).toBe(
      'unsubscribed',
    );
    const left = await routes(
      request('POST', pathOf(unsubscribe), {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(left.status).toBe(200);
  });

  it('keeps the preferences link of an edition adding lists at once', async () => {
    // Prepare
    const { preferences } = await aReader('fresh@example.org', ['podcast']);
    // Act
    await routes(request('POST', pathOf(preferences), { body: { list: ['podcast', 'essays'] } }));
    // Assess
    expect((await deps.subscribers.getByEmail('fresh@example.org'))?.lists.essays?.status).toBe('subscribed');
  });
});

describe('altered tokens', () => {
  it('refuses 6 other spellings of a genuine unsubscribe token and leaves the reader subscribed', async () => {
    // Prepare
    const { unsubscribe } = await aReader('altered@example.org', ['podcast']);
    const token = new URL(unsubscribe).searchParams.get('token') ?? '';
    const [v, kid, payload, sig] = token.split('.') as [string, string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spare = `${sig.slice(0, -1)}${alphabet[alphabet.indexOf(sig.slice(-1)) ^ 1]}`;
    const altered = [
      `${v}.${kid}.${payload}.${sig}=`,
      `${v}.${kid}.${payload}=.${sig}`,
      `${v}.${kid}.${payload}.${sig.slice(0, 8)} ${sig.slice(8)}`,
      `${v}.${kid}.${payload}.${sig} `,
      `${v}.${kid}.${payload}.${spare}`,
      `${v}.${kid}.${payload}.${sig.replaceAll('-', '+').replaceAll('_', '/')}/`,
    ];
    // Act
    const answers = await Promise.all(
      altered.map((t) =>
        routes(
          request('POST', `/unsubscribe?token=${encodeURIComponent(t)}`, {
            body: 'List-Unsubscribe=One-Click',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        ),
      ),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual(altered.map(() => 400));
    expect((await deps.subscribers.getByEmail('altered@example.org'))?.lists.podcast?.status).toBe(
      'subscribed',
    );
  });
});

describe('the per-address rate limit', () => {
  it('counts name+tag@ as name@: at most three confirmations reach one inbox in an hour', async () => {
    // Act: five sign-ups for one inbox, each spelled differently, each from another IP.
    const statuses: number[] = [];
    for (const spelling of ['inbox', 'inbox+a', 'INBOX+b', 'inbox+c', 'inbox+d']) {
      const res = await routes(
        request('POST', '/subscribe', {
          body: { email: `${spelling}@example.org`, list: 'essays' },
          ip: `198.51.100.${200 + statuses.length}`,
        }),
      );
      statuses.push(res.status);
    }
    // Assess
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const delivered = await Promise.all(
      ['inbox', 'inbox+a', 'INBOX+b', 'inbox+c', 'inbox+d'].map(
        async (s) => (await mailTo(env(), `${s}@example.org`)).length,
      ),
    );
    expect(delivered).toEqual([1, 1, 1, 0, 0]);
  });
});

describe('/subscribe and /resend with work after the answer (tidings dev)', () => {
  it('answer the same page before reading or mailing anything, then do the work', async () => {
    // Prepare: a subscribed reader, and the route table of a long-lived server.
    await aReader('known@example.org', ['podcast']);
    // Work after the answer is held here until the test runs it.
    const queued: (() => Promise<void>)[] = [];
    const later = createRouteTable({ ...deps, later: (task) => void queued.push(task) });
    const before = (await mailTo(env(), 'known@example.org')).length;
    const post = (path: string, email: string, ip: string) =>
      later(request('POST', path, { body: { email, list: 'essays' }, ip }));

    // Act: a new address, a subscribed one and a fresh-link request, answered before the work is done.
    const answers = [
      await post('/subscribe', 'newcomer@example.org', '198.51.100.150'),
      await post('/subscribe', 'known@example.org', '198.51.100.151'),
    ];
    const resend = await post('/resend', 'known@example.org', '198.51.100.152');
    const storedAtAnswer = await deps.subscribers.getByEmail('newcomer@example.org');
    const mailAtAnswer = (await mailTo(env(), 'known@example.org')).length;
    for (const task of queued) await task();

    // Assess: one page for both addresses; nothing was read or written before the answer; then the
    // newcomer is pending with a confirmation, and the known reader got the essays confirmation and
    // their fresh link.
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0]?.body).toBe(answers[1]?.body);
    expect(resend.status).toBe(200);
    expect(storedAtAnswer).toBeUndefined();
    expect(mailAtAnswer).toBe(before);
    expect(queued).toHaveLength(3);
    expect((await deps.subscribers.getByEmail('newcomer@example.org'))?.lists.essays?.status).toBe('pending');
    expect((await mailTo(env(), 'newcomer@example.org')).map((m) => m.subject)).toEqual([
      'Confirm your subscription to Signal & Noise: essays',
    ]);
    expect((await mailTo(env(), 'known@example.org')).length).toBe(before + 2);
  });
});

describe('backgroundTasks', () => {
  it('runs each task after the caller moved on, logs a failure, and settles when all are done', async () => {
    // Prepare
    const logs: string[] = [];
    const tasks = backgroundTasks((_level, event, data) => logs.push(`${event}: ${String(data?.error)}`));
    const done: string[] = [];
    // Act
    tasks.later(async () => {
      await new Promise((r) => setTimeout(r, 20));
      done.push('slow');
    });
    tasks.later(async () => {
      throw new TypeError('boom');
    });
    const before = [...done];
    await tasks.settle();
    // Assess
    expect(before).toEqual([]);
    expect(done).toEqual(['slow']);
    expect(logs).toEqual(['background-task-failed: TypeError: boom']);
  });
});
