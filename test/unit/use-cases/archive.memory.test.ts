// Publishing keeps the web archive in step, on the in-memory adapter set: each published post gets its
// page, the index and the feed list it, a `send: never` post is archive-only, and a draft stays private.
import { load } from 'cheerio';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../../functions/adapters/fs/archive-templates.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { MemoryArchiveObjects } from '../../../functions/adapters/memory/memory-archive-objects.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const config = anExampleConfig();
const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') };
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });

let tidings: ReturnType<typeof memoryApp>;
let archive: MemoryArchiveObjects;
beforeEach(async () => {
  archive = new MemoryArchiveObjects();
  tidings = memoryApp({
    config,
    keyRing: aKeyRing(),
    clock,
    render,
    sendRate: 1000,
    archive: { objects: archive, templates: () => loadArchiveTemplates() },
  });
  await tidings.adapters.subscribers.putMany([aSubscriber({ id: 's_ada', email: 'ada@example.org' })]);
});

const indexTitles = () => {
  const $ = load(archive.files.get('index.html')?.body ?? '');
  return $('.posts h2')
    .map((_, h) => $(h).text())
    .get();
};

describe('publish and the web archive', () => {
  it('writes the post’s page and lists it in the index and the feed, beside the email', async () => {
    // Act
    await tidings.app.publish(aPost({ id: 'ep-1', slug: 'ep-1', title: 'Episode 1', lists: ['podcast'] }));
    await tidings.drain();
    await tidings.app.publish(
      aPost({
        id: 'ep-2',
        slug: 'ep-2',
        title: 'Episode 2',
        lists: ['podcast'],
        date: '2026-11-30T08:00:00.000Z',
      }),
    );
    await tidings.drain();

    // Assess
    expect([...archive.files.keys()].sort()).toEqual([
      'ep-1/index.html',
      'ep-2/index.html',
      'feed.xml',
      'index.html',
      'sitemap.xml',
    ]);
    expect(indexTitles()).toEqual(['Episode 2', 'Episode 1']);
    expect(archive.files.get('feed.xml')?.body).toContain('Episode 1');
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual([
      'ada@example.org',
      'ada@example.org',
    ]);
  });

  it('puts a `send: never` post on the web only, and keeps a draft off it', async () => {
    // Act
    await tidings.app.publish(aPost({ id: 'web-only', slug: 'web-only', title: 'Web only', send: 'never' }));
    await tidings.app.publish(aPost({ id: 'wip', slug: 'wip', title: 'Work in progress', draft: true }));
    await tidings.drain();

    // Assess
    expect(archive.files.has('web-only/index.html')).toBe(true);
    expect(archive.files.has('wip/index.html')).toBe(false);
    expect(indexTitles()).toEqual(['Web only']);
    expect(tidings.adapters.transport.sent()).toEqual([]);
  });
});

describe('a digest and the web archive', () => {
  const essaysReader = aSubscriber({
    id: 's_eve',
    email: 'eve@example.org',
    lists: {
      essays: {
        status: 'subscribed',
        cadence: 'weekly',
        updatedAt: '2026-01-05T10:00:00.000Z',
        consent: { at: '2026-01-05T10:00:00.000Z', method: 'import:test', source: 'test' },
      },
    },
  });
  const essay = (id: string, date: string) =>
    aPost({ id, slug: id, title: `Essay ${id}`, lists: ['essays'], send: 'digest', date });
  /** The "View in browser" link of the one message eve got. */
  const viewInBrowser = async (app: ReturnType<typeof memoryApp>) => {
    const [message] = app.adapters.transport.sent().filter((m) => m.to === 'eve@example.org');
    const html = String((await simpleParser(Buffer.from(message?.raw ?? ''))).html);
    const $ = load(html);
    return $('a')
      .filter((_, a) => $(a).text().trim() === 'View in browser')
      .attr('href');
  };

  it('writes the digest’s page, listing exactly its posts, and its email links there', async () => {
    // Prepare
    await tidings.adapters.subscribers.putMany([essaysReader]);
    await tidings.app.publish(essay('essay-a', '2026-11-28T08:00:00.000Z'));
    await tidings.app.publish(essay('essay-b', '2026-11-29T08:00:00.000Z'));
    await tidings.app.publish(
      aPost({ id: 'ep-9', slug: 'ep-9', title: 'Not in this digest', lists: ['podcast'] }),
    );

    // Act
    const digest = await tidings.app.digest('essays', 'weekly');
    await tidings.drain();

    // Assess
    expect(digest.action).toBe('planned');
    if (digest.action !== 'planned') return;
    const link = await viewInBrowser(tidings);
    expect(link).toBe(`${config.publicUrl}/archive/digests/${digest.editionId}/`);
    const page = archive.files.get(`digests/${digest.editionId}/index.html`)?.body;
    expect(page).toBeDefined();
    const $ = load(page ?? '');
    expect(
      $('.posts h2 a')
        .map((_, a) => [[$(a).text(), $(a).attr('href')]])
        .get(),
    ).toEqual([
      ['Essay essay-b', `${config.publicUrl}/archive/essay-b/`],
      ['Essay essay-a', `${config.publicUrl}/archive/essay-a/`],
    ]);
    // Each post it links to has its page.
    expect(archive.files.has('essay-a/index.html') && archive.files.has('essay-b/index.html')).toBe(true);
  });

  it('links the digest to the archive’s index where the process writes no archive', async () => {
    // Prepare: the same digest in a process without an archive (the CLI aimed at a stack's table).
    const bare = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
    await bare.adapters.subscribers.putMany([essaysReader]);
    await bare.app.publish(essay('essay-a', '2026-11-28T08:00:00.000Z'));

    // Act
    await bare.app.digest('essays', 'weekly');
    await bare.drain();

    // Assess
    expect(await viewInBrowser(bare)).toBe(`${config.publicUrl}/archive/`);
  });
});
