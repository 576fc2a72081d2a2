import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../../functions/core/errors.ts';
import type { Post } from '../../../functions/core/posts/post.ts';
import type { FeedState, FeedStateStore } from '../../../functions/ports/feed-state-store.ts';
import type { SeenFeedItem } from '../../../functions/ports/list-cursor-store.ts';
import {
  type FetchedFeed,
  type PollFeedDeps,
  pollFeed,
  resumeFeed,
} from '../../../functions/use-cases/poll-feeds.ts';
import { anExampleConfig } from '../../helpers/factories.ts';

const FEED_URL = 'https://signal-noise.example.com/feed.xml';

const item = (n: number, body = `Episode ${n} notes.`) =>
  `<item><title>Episode ${n}</title><link>https://signal-noise.example.com/p/ep-${n}</link><guid isPermaLink="false">ep-${n}</guid><pubDate>${new Date(Date.UTC(2026, 1, n)).toUTCString()}</pubDate><description>${body}</description></item>`;
const rss = (...items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Signal &amp; Noise</title><link>https://signal-noise.example.com</link>${items.join('')}</channel></rss>`;

/** An in-memory world for the poller: scripted HTTP answers, the states and seen items it keeps, what it published. */
function world(answers: (FetchedFeed | Error)[]) {
  const states = new Map<string, FeedState>();
  const seen = new Map<string, SeenFeedItem>();
  const published: Post[] = [];
  const requests: { url: string; validators: object }[] = [];
  const feedStates: FeedStateStore = {
    get: async (id) => states.get(id),
    put: async (s) => void states.set(s.feedId, s),
    resume: async (id) => {
      const before = states.get(id);
      if (before) {
        const { pausedAt: _p, lastError: _e, ...rest } = before;
        states.set(id, { ...rest, failures: 0 });
      }
      return before;
    },
  };
  const deps: PollFeedDeps = {
    config: anExampleConfig(),
    feedStates,
    seen: {
      getSeen: async (feedId, guids) =>
        new Map(
          guids.flatMap((g) =>
            seen.has(`${feedId}/${g}`) ? [[g, seen.get(`${feedId}/${g}`) as SeenFeedItem]] : [],
          ),
        ),
      markSeen: async (feedId, items) => {
        for (const i of items) seen.set(`${feedId}/${i.guid}`, i);
      },
    },
    fetchFeed: async (url, validators) => {
      requests.push({ url, validators });
      const next = answers.shift();
      if (!next) throw new Error('the test scripted no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
    publish: async (post) => {
      published.push(post);
      return {
        postId: post.id,
        post: 'created',
        version: 1,
        lists: (post.lists ?? []).map((listId) => ({
          listId,
          action: 'planned',
          editionId: `e-${post.id}`,
          resumed: false,
        })),
      };
    },
    clock: { now: () => new Date('2026-03-01T12:00:00Z') },
  };
  return { deps, states, published, requests };
}

const httpError = () =>
  new InvalidInputError('SOURCE_UNREADABLE', `${FEED_URL}: could not be read: HTTP 503 Service Unavailable`);

describe('pollFeed', () => {
  it('records what the feed already holds on the first poll and sends none of it', async () => {
    // Prepare
    const w = world([{ text: rss(item(2), item(1)), etag: '"a"' }]);
    // Act
    const result = await pollFeed(w.deps, 'main');
    // Assess
    expect(result).toEqual({ feedId: 'main', action: 'baseline', items: 2 });
    expect(w.published).toEqual([]);
    expect(w.requests).toEqual([{ url: FEED_URL, validators: {} }]);
    expect(w.states.get('main')).toMatchObject({
      etag: '"a"',
      failures: 0,
      lastSuccessAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it('publishes only the new items, oldest first, to the lists of the feed', async () => {
    // Prepare
    const w = world([
      { text: rss(item(1)), etag: '"a"' },
      { text: rss(item(3), item(2), item(1)), etag: '"b"' },
    ]);
    await pollFeed(w.deps, 'main');
    // Act
    const result = await pollFeed(w.deps, 'main');
    // Assess
    expect(w.published.map((p) => [p.id, p.lists])).toEqual([
      ['ep-2', ['podcast']],
      ['ep-3', ['podcast']],
    ]);
    expect(result).toMatchObject({ action: 'polled', items: 3 });
    expect(result.action === 'polled' && result.changed.map((c) => [c.postId, c.change])).toEqual([
      ['ep-2', 'new'],
      ['ep-3', 'new'],
    ]);
    expect(w.requests[1]?.validators).toEqual({ etag: '"a"' });
  });

  it('hands an edited item to publish as an edit and leaves unchanged items alone', async () => {
    const w = world([
      { text: rss(item(2), item(1)) },
      { text: rss(item(2, 'Episode 2 notes, corrected.'), item(1)) },
    ]);
    await pollFeed(w.deps, 'main');

    const result = await pollFeed(w.deps, 'main');

    expect(w.published.map((p) => p.id)).toEqual(['ep-2']);
    expect(result.action === 'polled' && result.changed.map((c) => c.change)).toEqual(['edited']);
  });

  it('sends nothing on 304 Not Modified and keeps the validators that earned it', async () => {
    const w = world([
      { text: rss(item(1)), etag: '"a"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' },
      { text: undefined },
    ]);
    await pollFeed(w.deps, 'main');

    const result = await pollFeed(w.deps, 'main');

    expect(result).toEqual({ feedId: 'main', action: 'not-modified' });
    expect(w.requests[1]?.validators).toEqual({ etag: '"a"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' });
    expect(w.states.get('main')).toMatchObject({
      etag: '"a"',
      lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT',
    });
    expect(w.published).toEqual([]);
  });

  it('never publishes from a truncated feed, even when its first items are complete', async () => {
    const whole = rss(item(3), item(2), item(1));
    const w = world([{ text: rss(item(1)) }, { text: whole.slice(0, whole.indexOf('<item>', 200) + 20) }]);
    await pollFeed(w.deps, 'main');

    const result = await pollFeed(w.deps, 'main');

    expect(result).toMatchObject({ action: 'failed', failures: 1, paused: false });
    expect(result.action === 'failed' && result.error).toMatch(/XML error at line 1/);
    expect(w.published).toEqual([]);
  });

  it('pauses a feed after three failures in a row, then stops fetching it until it is resumed', async () => {
    // Prepare
    const w = world([
      { text: rss(item(1)) },
      httpError(),
      httpError(),
      httpError(),
      { text: rss(item(2), item(1)) },
    ]);
    await pollFeed(w.deps, 'main');
    // Act
    const results = [
      await pollFeed(w.deps, 'main'),
      await pollFeed(w.deps, 'main'),
      await pollFeed(w.deps, 'main'),
    ];
    const whilePaused = await pollFeed(w.deps, 'main');
    // Assess
    expect(results.map((r) => r.action === 'failed' && [r.failures, r.paused])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(whilePaused).toMatchObject({ action: 'paused', pausedAt: '2026-03-01T12:00:00.000Z' });
    expect(w.requests).toHaveLength(4);
    // Act: an operator resumes it
    expect(await resumeFeed(w.deps, 'main')).toEqual({ feedId: 'main', wasPaused: true });
    const after = await pollFeed(w.deps, 'main');
    // Assess
    expect(after).toMatchObject({ action: 'polled' });
    expect(w.published.map((p) => p.id)).toEqual(['ep-2']);
    expect(w.states.get('main')).toMatchObject({ failures: 0 });
    expect(w.states.get('main')?.pausedAt).toBeUndefined();
  });

  it('resets the failure count after a success', async () => {
    const w = world([{ text: rss(item(1)) }, httpError(), httpError(), { text: rss(item(1)) }, httpError()]);
    for (let i = 0; i < 4; i++) await pollFeed(w.deps, 'main');

    expect(await pollFeed(w.deps, 'main')).toMatchObject({ action: 'failed', failures: 1, paused: false });
  });

  it('says which feeds exist when asked for one that is not configured', async () => {
    const w = world([]);

    await expect(pollFeed(w.deps, 'nope')).rejects.toThrow(
      new NotFoundError('FEED_NOT_FOUND', 'no feed "nope" in the config (configured: main)'),
    );
  });
});
