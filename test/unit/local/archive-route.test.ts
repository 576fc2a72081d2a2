import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsArchiveObjects } from '../../../functions/adapters/fs/fs-archive-objects.ts';
import { withArchive } from '../../../functions/local/archive-route.ts';
import { request } from '../../integration/journey/journey-env.ts';

describe('tidings dev serves the web archive at /archive/', () => {
  it('answers the index, a post page and the feed from the folder publish writes, and the pages for the rest', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tidings-archive-'));
    await new FsArchiveObjects(dir).write([
      { path: 'index.html', contentType: 'text/html', body: '<h1>Index</h1>' },
      { path: 'ep-1/index.html', contentType: 'text/html', body: '<h1>Episode 1</h1>' },
      { path: 'feed.xml', contentType: 'application/rss+xml', body: '<rss/>' },
    ]);
    const routes = withArchive(dir, async () => ({ status: 200, headers: {}, body: 'the subscriber pages' }));

    // Act
    const [index, page, noSlash, feed, missing, outside, post, other] = await Promise.all([
      routes(request('GET', '/archive/')),
      routes(request('GET', '/archive/ep-1/')),
      routes(request('GET', '/archive/ep-1')),
      routes(request('GET', '/archive/feed.xml')),
      routes(request('GET', '/archive/ep-2/')),
      routes(request('GET', '/archive/..%2F..%2Fetc%2Fpasswd')),
      routes(request('POST', '/archive/', { body: { a: 'b' } })),
      routes(request('GET', '/subscribe')),
    ]);

    // Assess
    expect([index.status, index.body]).toEqual([200, '<h1>Index</h1>']);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<h1>Episode 1</h1>');
    expect(noSlash.body).toBe('<h1>Episode 1</h1>');
    expect([feed.status, feed.headers['content-type']]).toEqual([200, 'application/xml; charset=utf-8']);
    expect(missing.status).toBe(404);
    expect(outside.status).toBe(404);
    expect(post.status).toBe(405);
    expect(other.body).toBe('the subscriber pages');
  });
});
