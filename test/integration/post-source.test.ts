import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { fetchDocument } from '../../functions/adapters/web/feed-fetch.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';

const root = resolve(import.meta.dirname, '../..');
const siteUrl = 'https://signal-noise.example.com';
const substack = readFileSync(resolve(root, 'examples/feeds/substack.xml'), 'utf8');

const latin1Feed =
  '<rss version="2.0"><channel><title>Caf\u00e9</title><item><title>Cr\u00e8me br\u00fbl\u00e9e</title><guid>1</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>D\u00e9j\u00e0 vu</description></item></channel></rss>';

let server: Server;
let base: string;
const stalled = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/feed.xml': {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(substack);
        return;
      }
      case '/post.md':
        res
          .writeHead(200, { 'content-type': 'text/markdown' })
          .end('---\ntitle: Remote\ndate: 2026-03-01\n---\nHello from afar.\n');
        return;
      case '/latin1.xml':
        // An old feed: ISO-8859-1 bytes, said so only in the header.
        res
          .writeHead(200, { 'content-type': 'application/rss+xml; charset=ISO-8859-1' })
          .end(Buffer.from(latin1Feed, 'latin1'));
        return;
      case '/page.html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!DOCTYPE html><html><body><p>Hi</p></body></html>');
        return;
      case '/slow.xml':
        // Headers now, body never: the timeout must cover the body too.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss version="2.0"><channel>');
        stalled.add(res);
        return;
      case '/silent.xml':
        stalled.add(res);
        return;
      case '/huge.xml': {
        // No content-length: the cap has to be enforced while the body streams in.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = `<!-- ${'x'.repeat(64 * 1024)} -->`;
        let sent = 0;
        const pump = () => {
          while (sent < 64) {
            sent += 1;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
        return;
      }
      case '/declared-huge.xml':
        res.writeHead(200, {
          'content-type': 'application/rss+xml',
          'content-length': String(50 * 1024 * 1024),
        });
        res.write('<rss>');
        stalled.add(res);
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of stalled) res.destroy();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected loading to fail');
}

describe('loadPosts from a URL', () => {
  it('reads a feed over HTTP into posts', async () => {
    const posts = await loadPosts(`${base}/feed.xml`, { siteUrl });

    expect(posts.map((p) => p.slug)).toEqual([
      'ep-41-feeds-all-the-way-down',
      'the-case-for-slow-email',
      'bonus-new-studio',
    ]);
    expect(posts[0]?.bodyHtml).toContain('Leave a comment');
  });

  it('reads a Markdown post over HTTP', async () => {
    const [post] = await loadPosts(`${base}/post.md`, { siteUrl });

    expect(post?.title).toBe('Remote');
    expect(post?.url).toBe('https://signal-noise.example.com/post');
  });

  it('decodes a feed in the charset its server declares', async () => {
    const [post] = await loadPosts(`${base}/latin1.xml`, { siteUrl });

    expect(post?.title).toBe('Crème brûlée');
    expect(post?.bodyHtml).toBe('<p>Déjà vu</p>');
  });

  it('says the URL could not be read on HTTP 404', async () => {
    expect(await errorOf(loadPosts(`${base}/missing.xml`, { siteUrl }))).toBe(
      `${base}/missing.xml: could not be read: HTTP 404 Not Found`,
    );
  });

  it('gives up on a server that never answers', async () => {
    expect(await errorOf(loadPosts(`${base}/silent.xml`, { siteUrl, timeoutMs: 300 }))).toBe(
      `${base}/silent.xml: could not be read: no complete answer within 300 ms`,
    );
  });

  it('gives up on a body that stalls after the headers', async () => {
    expect(await errorOf(loadPosts(`${base}/slow.xml`, { siteUrl, timeoutMs: 300 }))).toBe(
      `${base}/slow.xml: could not be read: no complete answer within 300 ms`,
    );
  });

  it('stops reading a body over the size cap', async () => {
    expect(await errorOf(loadPosts(`${base}/huge.xml`, { siteUrl, maxBytes: 1024 * 1024 }))).toBe(
      `${base}/huge.xml: could not be read: larger than 1 MB (the size cap)`,
    );
  });

  it('refuses a body whose declared length is over the size cap without reading it', async () => {
    expect(await errorOf(loadPosts(`${base}/declared-huge.xml`, { siteUrl }))).toBe(
      `${base}/declared-huge.xml: could not be read: larger than 5 MB (the size cap)`,
    );
  });

  it('says a web page is not a feed', async () => {
    expect(await errorOf(loadPosts(`${base}/page.html`, { siteUrl }))).toBe(
      `${base}/page.html: not a feed (it is an HTML page); expected RSS 2.0, Atom 1.0 or JSON Feed 1.1`,
    );
  });

  it('names the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/feed.xml`;
    await new Promise((done) => closed.close(done));

    expect(await errorOf(loadPosts(url, { siteUrl }))).toBe(`${url}: could not be read: ECONNREFUSED`);
  });
});

describe('fetchDocument', () => {
  it('returns the ETag, and nothing on a 304 to a conditional GET', async () => {
    const first = await fetchDocument(`${base}/feed.xml`, {});
    const second = await fetchDocument(`${base}/feed.xml`, { etag: first.etag ?? '' });

    expect(first.etag).toBe('"v1"');
    expect(first.text).toBe(substack);
    expect(second.text).toBeUndefined();
  });
});

describe('loadPosts from files', () => {
  it('reads a Markdown file, a feed file of each format, and a folder of posts', async () => {
    const opts = { siteUrl };

    expect((await loadPosts(resolve(root, 'examples/posts/short-note.md'), opts)).map((p) => p.slug)).toEqual(
      ['short-note'],
    );
    expect(await loadPosts(resolve(root, 'examples/feeds/atom.xml'), opts)).toHaveLength(3);
    expect(await loadPosts(resolve(root, 'examples/feeds/feed.json'), opts)).toHaveLength(3);
    expect((await loadPosts(resolve(root, 'examples/posts'), opts)).map((p) => p.slug).sort()).toEqual([
      'ep-42-the-quiet-web',
      'short-note',
      'the-order-things-were-written-in',
    ]);
  });

  it('decodes a feed file in the encoding its XML declaration names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-posts-'));
    const file = join(dir, 'old.xml');
    await writeFile(
      file,
      Buffer.from(`<?xml version="1.0" encoding="windows-1252"?>${latin1Feed}`, 'latin1'),
    );

    const [post] = await loadPosts(file, { siteUrl });

    expect(post?.title).toBe('Crème brûlée');
    await rm(dir, { recursive: true });
  });

  it('says a missing file could not be read', async () => {
    expect(await errorOf(loadPosts('examples/posts/nope.md', { siteUrl }))).toBe(
      'examples/posts/nope.md: could not be read: no such file',
    );
  });
});
