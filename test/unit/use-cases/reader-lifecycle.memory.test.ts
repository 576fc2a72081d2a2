// A reader's whole life on the in-memory adapter set (wiring/memory.ts), through app.routes() and the
// use cases the App exposes: sign up, confirm, get posts and digests, leave in one click, complain.
// Fast, and the same behaviour as on the emulators, since both sets pass the contract suites.
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadJourneyTemplates } from '../../../functions/adapters/fs/journey-templates.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { sesEventsFrom } from '../../../functions/core/feedback/index.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';
import { aClock, linkIn, request } from '../../integration/journey/journey-env.ts';

const config = anExampleConfig();
const clock = aClock('2026-12-01T08:00:00.000Z');
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });

let tidings: ReturnType<typeof memoryApp>;
let routes: RouteHandler;
beforeEach(async () => {
  clock.set('2026-12-01T08:00:00.000Z');
  tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
  routes = tidings.app.routes({ templates: await loadJourneyTemplates(config) });
});

/** The messages the transport accepted for one address, oldest first, parsed. */
const inbox = (address: string) =>
  Promise.all(
    tidings.adapters.transport
      .sent()
      .filter((m) => m.to === address)
      .map((m) => simpleParser(Buffer.from(m.raw))),
  );
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('a reader on the memory adapter set', () => {
  it('signs up, confirms, gets the next episode, leaves in one click, and gets nothing after', async () => {
    // Act: sign up and confirm through the pages
    const signUp = await routes(
      request('POST', '/subscribe', { body: { email: 'ada@example.org', list: 'podcast' } }),
    );
    const [confirmation] = await inbox('ada@example.org');
    const confirmLink = pathOf(linkIn(confirmation?.html || '', '/confirm'));
    const shown = await routes(request('GET', confirmLink));
    const confirmed = await routes(request('POST', confirmLink));
    await tidings.app.publish(aPost({ id: 'ep-1', slug: 'ep-1', title: 'Episode 1', lists: ['podcast'] }));
    await tidings.drain();
    const episode = (await inbox('ada@example.org')).find((m) => m.subject === 'Episode 1');
    const edition = tidings.adapters.transport
      .sent()
      .find((m) => m.to === 'ada@example.org' && m.tags.edition);
    const head =
      Buffer.from(edition?.raw ?? [])
        .toString('latin1')
        .split('\r\n\r\n')[0] ?? '';
    const url = /^List-Unsubscribe: <(https:[^>]+)>/m.exec(head)?.[1] ?? '';
    const left = await routes(request('POST', pathOf(url), { body: { 'List-Unsubscribe': 'One-Click' } }));
    await tidings.app.publish(aPost({ id: 'ep-2', slug: 'ep-2', title: 'Episode 2', lists: ['podcast'] }));
    await tidings.drain();

    // Assess
    expect(signUp.status).toBe(200);
    expect(shown.status).toBe(200);
    expect(confirmed.status).toBe(200);
    expect(episode?.to).toMatchObject({ value: [{ address: 'ada@example.org' }] });
    expect(left.status).toBe(200);
    const subjects = (await inbox('ada@example.org')).map((m) => m.subject);
    expect(subjects).toContain('Episode 1');
    expect(subjects).not.toContain('Episode 2');
    const ada = await tidings.adapters.subscribers.getByEmail('ada@example.org');
    expect(ada?.lists.podcast).toMatchObject({ status: 'unsubscribed', unsubscribeReason: 'one-click' });
  });

  it('sends one digest of the new posts to weekly readers only, then nothing when nothing is new', async () => {
    // Prepare
    const weekly = {
      status: 'subscribed',
      cadence: 'weekly',
      updatedAt: '2026-11-01T00:00:00.000Z',
    } as const;
    await tidings.adapters.subscribers.putMany([
      aSubscriber({ id: 's_w1', email: 'w1@example.org', lists: { essays: weekly } }),
      aSubscriber({ id: 's_w2', email: 'w2@example.org', lists: { essays: weekly } }),
      aSubscriber({
        id: 's_i',
        email: 'instant@example.org',
        lists: { essays: { ...weekly, cadence: 'instant' } },
      }),
    ]);
    const essay = (id: string, date: string) =>
      aPost({ id, slug: id, title: `Essay ${id}`, lists: ['essays'], send: 'digest', date });
    await tidings.app.publish(essay('a', '2026-11-29T08:00:00Z'));
    await tidings.app.publish(essay('b', '2026-11-30T08:00:00Z'));
    await tidings.drain();

    // Act
    const digest = await tidings.app.digest('essays', 'weekly');
    await tidings.drain();
    const again = await tidings.app.digest('essays', 'weekly');

    // Assess
    expect(digest).toMatchObject({ action: 'planned', postIds: ['b', 'a'] });
    expect(again.action).toBe('nothing-new');
    const sent = tidings.adapters.transport.sent();
    expect(sent.map((m) => m.to).sort()).toEqual(['w1@example.org', 'w2@example.org']);
    const text = (await inbox('w1@example.org'))[0]?.text ?? '';
    expect(text).toContain('Essay a');
    expect(text).toContain('Essay b');
  });

  it('suppresses a reader who complains, so the next post skips them', async () => {
    // Prepare
    await tidings.adapters.subscribers.putMany([
      aSubscriber({ id: 's_angry', email: 'angry@example.org' }),
      aSubscriber({ id: 's_calm', email: 'calm@example.org' }),
    ]);
    const complaint = JSON.parse(
      readFileSync(new URL('../../fixtures/ses-events/sns-complaint.json', import.meta.url), 'utf8'),
    );

    // Act
    const summary = await tidings.app.recordFeedback(sesEventsFrom(complaint));
    await tidings.app.publish(aPost({ id: 'ep-3', slug: 'ep-3', lists: ['podcast'] }));
    await tidings.drain();

    // Assess
    expect(summary.suppressed).toEqual([{ email: 'angry@example.org', reason: 'complaint' }]);
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual(['calm@example.org']);
  });

  it('lets an operator add a reader and remove another; only the one on the list gets the post', async () => {
    // Act
    const added = await tidings.app.subscribers.add({
      email: 'new@example.org',
      listId: 'podcast',
      lists: { podcast: 'instant' },
    });
    await tidings.app.subscribers.add({
      email: 'gone@example.org',
      listId: 'podcast',
      lists: { podcast: 'instant' },
    });
    await tidings.app.subscribers.remove({ email: 'gone@example.org' });
    await tidings.app.publish(aPost({ id: 'ep-4', slug: 'ep-4', lists: ['podcast'] }));
    await tidings.drain();

    // Assess
    expect(added.outcome).toBe('created');
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual(['new@example.org']);
    expect(await tidings.adapters.subscribers.getByEmail('gone@example.org')).toBeUndefined();
  });
});
