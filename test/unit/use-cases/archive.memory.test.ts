// Publishing keeps the web archive in step, on the in-memory adapter set: each published post gets its
// page, the index and the feed list it, a `send: never` post is archive-only, and a draft stays private.
import { load } from 'cheerio';
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
