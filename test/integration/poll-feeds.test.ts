import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedStateStore } from '../../functions/adapters/aws/dynamo-feed-state.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { fetchDocument } from '../../functions/adapters/web/feed-fetch.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import { quietObservability } from '../../functions/handlers/observability.ts';
import { makePollFeedsHandler } from '../../functions/handlers/poll-feeds.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { type PollFeedDeps, pollFeed } from '../../functions/use-cases/poll-feeds.ts';
import type { Adapters } from '../../functions/wiring/adapters.ts';
import type { App } from '../../functions/wiring/app.ts';
import { awsApp } from '../../functions/wiring/aws-app.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { anExampleConfig } from '../helpers/factories.ts';

const env = useEmulators();

/** The feed the fake site serves; tests change it between polls. */
let feed = { status: 200, body: '', etag: '"v1"' };
const requests: { ifNoneMatch?: string }[] = [];
let server: Server;
let feedUrl: string;

const item = (n: number) =>
  `<item><title>Episode ${n}</title><link>https://signal-noise.example.com/p/ep-${n}</link><guid isPermaLink="false">ep-${n}</guid><pubDate>${new Date(Date.UTC(2026, 1, n)).toUTCString()}</pubDate><description>&lt;p&gt;Notes for episode ${n}.&lt;/p&gt;</description><enclosure url="https://signal-noise.example.com/audio/ep-${n}.mp3" length="1000" type="audio/mpeg"/></item>`;
const rss = (...items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Signal &amp; Noise</title><link>https://signal-noise.example.com</link>${items.join('')}</channel></rss>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    requests.push(ifNoneMatch ? { ifNoneMatch } : {});
    if (feed.status === 200 && ifNoneMatch === feed.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(feed.status, { 'content-type': 'application/rss+xml', etag: feed.etag }).end(feed.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

function appFor(config: Config): { readonly app: App; readonly adapters: Adapters } {
  const clock = { now: () => new Date('2026-03-01T12:00:00Z') };
  return awsApp(
    { clients: env().clients, tableName: env().tableName, sendQueueUrl: env().queueUrl },
    {
      config,
      clock,
      render: makeRenderFn({ config, templates: () => loadTemplates(), clock }),
      fetchFeed: (url, validators) => fetchDocument(url, validators),
    },
  );
}

describe('the poll-feeds handler', () => {
  it('publishes a new feed item to its list on a scheduled poll, and only once', async () => {
    // Prepare: the feed as configured, served by a local site
    const base = anExampleConfig();
    const config: Config = {
      ...base,
      feeds: [{ id: 'main', url: feedUrl, lists: ['podcast'], schedule: 'rate(15 minutes)' }],
    };
    const { app, adapters } = appFor(config);
    const handler = makePollFeedsHandler(async () => app, quietObservability());
    const scheduled = { feedId: 'main', scheduledTime: '2026-03-01T12:00:00Z' };
    feed = { status: 200, body: rss(item(1)), etag: '"v1"' };

    // Act: the first poll only learns what is already there
    const first = await handler(scheduled);
    // Assess
    expect(first).toEqual({ feedId: 'main', action: 'baseline', items: 1 });
    expect(await adapters.posts.get('ep-1')).toBeUndefined();

    // Act: a new episode appears
    feed = { status: 200, body: rss(item(2), item(1)), etag: '"v2"' };
    const second = await handler(scheduled);
    // Assess: published to the podcast list, stored for the digests, with its audio
    expect(second).toMatchObject({
      action: 'polled',
      items: 2,
      changed: [{ postId: 'ep-2', change: 'new' }],
    });
    const lists = second.action === 'polled' ? second.changed[0]?.lists : [];
    expect(lists?.map((l) => [l.listId, l.action])).toEqual([['podcast', 'planned']]);
    const stored = await adapters.posts.get('ep-2');
    expect(stored?.listIds).toEqual(['podcast']);
    expect(stored?.post.media.map((m) => m.url)).toEqual(['https://signal-noise.example.com/audio/ep-2.mp3']);
    const planned = lists?.[0];
    const edition =
      planned && 'editionId' in planned
        ? (await adapters.editions.get(planned.editionId))?.edition
        : undefined;
    expect(edition).toMatchObject({ listId: 'podcast', kind: 'publish', subject: 'Episode 2' });
    expect(edition?.posts.map((p) => p.id)).toEqual(['ep-2']);

    // Act: the next poll is conditional and the site answers 304
    const third = await handler(scheduled);
    // Assess
    expect(third).toEqual({ feedId: 'main', action: 'not-modified' });
    expect(requests.at(-1)).toEqual({ ifNoneMatch: '"v2"' });
  });

  it('pauses a feed that keeps failing and keeps it paused in the table', async () => {
    // Prepare
    const base = anExampleConfig();
    const config: Config = {
      ...base,
      feeds: [{ id: 'flaky', url: feedUrl, lists: ['podcast'], schedule: 'rate(15 minutes)' }],
    };
    const { app } = appFor(config);
    const handler = makePollFeedsHandler(async () => app, quietObservability());
    feed = { status: 500, body: 'oops', etag: '"x"' };

    // Act
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await handler({ feedId: 'flaky' }));
    const before = requests.length;
    const paused = await handler({ feedId: 'flaky' });

    // Assess
    expect(results.map((r) => (r.action === 'failed' ? r.paused : undefined))).toEqual([false, false, true]);
    expect(results[0]).toMatchObject({
      error: `${feedUrl}: could not be read: HTTP 500 Internal Server Error`,
    });
    expect(paused.action).toBe('paused');
    expect(requests.length).toBe(before);
    const state = await new DynamoFeedStateStore({ doc: env().clients.doc, tableName: env().tableName }).get(
      'flaky',
    );
    expect(state).toMatchObject({ feedId: 'flaky', failures: 3, pausedAt: '2026-03-01T12:00:00.000Z' });
  });

  it('publishes an item nested 3,000 levels deep, flattened with a warning, and the next item after it', async () => {
    // Prepare: a baseline, then a hostile item (15 KB of nested divs) and an ordinary one after it.
    const base = anExampleConfig();
    const config: Config = {
      ...base,
      feeds: [{ id: 'deep', url: feedUrl, lists: ['podcast'], schedule: 'rate(15 minutes)' }],
    };
    const { app, adapters } = appFor(config);
    const handler = makePollFeedsHandler(async () => app, quietObservability());
    feed = { status: 200, body: rss(item(11)), etag: '"d1"' };
    await handler({ feedId: 'deep' });
    const deep = `${'<div>'.repeat(3000)}Deep text${'</div>'.repeat(3000)}`;
    const hostile = item(12).replace(
      /<description>.*<\/description>/,
      `<description>${deep.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</description>`,
    );
    feed = { status: 200, body: rss(item(13), hostile, item(11)), etag: '"d2"' };

    // Act
    const polled = await handler({ feedId: 'deep' });

    // Assess: both new items went out; the deep one keeps its text and says what was flattened.
    expect(polled).toMatchObject({
      action: 'polled',
      changed: [
        { postId: 'ep-12', change: 'new' },
        { postId: 'ep-13', change: 'new' },
      ],
    });
    const stored = await adapters.posts.get('ep-12');
    expect(stored?.post.bodyHtml).toContain('Deep text');
    expect(stored?.post.warnings.map((w) => w.code)).toContain('FLATTENED_NESTING');
    expect(await adapters.posts.get('ep-13')).toBeDefined();
  });

  it('counts an unexpected error as a feed failure and pauses the feed after three', async () => {
    // Prepare: the publisher fails with an error that is not a TidingsError (a bug, a runtime fault).
    const base = anExampleConfig();
    const config: Config = {
      ...base,
      feeds: [{ id: 'buggy', url: feedUrl, lists: ['podcast'], schedule: 'rate(15 minutes)' }],
    };
    const { app, adapters } = appFor(config);
    feed = { status: 200, body: rss(item(21)), etag: '"b1"' };
    await makePollFeedsHandler(async () => app, quietObservability())({ feedId: 'buggy' });
    feed = { status: 200, body: rss(item(22), item(21)), etag: '"b2"' };
    const deps: PollFeedDeps = {
      config,
      feedStates: adapters.feedStates,
      seen: adapters.cursors,
      fetchFeed: (url, validators) => fetchDocument(url, validators),
      publish: async () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      clock: { now: () => new Date('2026-03-01T12:00:00Z') },
    };
    const buggy = makePollFeedsHandler(
      async () => ({ pollFeed: (id: string) => pollFeed(deps, id) }),
      quietObservability(),
    );

    // Act
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await buggy({ feedId: 'buggy' }));

    // Assess
    expect(results.map((r) => (r.action === 'failed' ? [r.failures, r.paused] : r.action))).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(results[0]).toMatchObject({
      error: 'unexpected error: RangeError: Maximum call stack size exceeded',
    });
    const state = await new DynamoFeedStateStore({ doc: env().clients.doc, tableName: env().tableName }).get(
      'buggy',
    );
    expect(state).toMatchObject({ failures: 3, pausedAt: '2026-03-01T12:00:00.000Z' });
  });

  it('rejects an event without a feed id', async () => {
    const handler = makePollFeedsHandler(async () => {
      throw new Error('not reached');
    }, quietObservability());

    await expect(handler({ scheduledTime: 'x' })).rejects.toThrow(/feedId/);
  });
});
