import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');

function tidings(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tidings.mjs', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like tidings(), without blocking this process: a server in the test must keep answering. */
function tidingsAsync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['bin/tidings.mjs', ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

interface PreviewJson {
  files: { html: string; text: string; eml: string };
  subject: string;
  bytes: { html: number; text: number; eml: number };
  warnings: { code: string; message: string; post?: string }[];
  excluded: { post: string; reason: string }[];
}

/** exit 1, one line on stderr matching `message`, nothing on stdout. */
function expectOneLineRefusal(run: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stdout).toBe('');
}

describe('tidings preview', () => {
  it('writes .html, .txt and a full .eml for a sample subscriber and prints one JSON document', async () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-preview-'));
    // Act
    const run = tidings('preview', 'examples/posts/podcast-episode.md', '--out', out, '--json');
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      files: { html: string; text: string; eml: string };
      subject: string;
      bytes: { html: number; text: number; eml: number };
      warnings: { code: string; message: string }[];
    };
    expect(result.subject).toBe('Ep. 42: The quiet web, with Maya Okafor and Tomás Reyes');
    expect(result.files.html).toBe(join(out, 'ep-42-the-quiet-web.html'));
    for (const file of Object.values(result.files)) expect(existsSync(file)).toBe(true);
    expect(result.bytes.html).toBe(readFileSync(result.files.html).length);
    expect(result.warnings).toEqual([]);
    const html = readFileSync(result.files.html, 'utf8');
    expect(html).toContain('Hi Sample Reader,');
    expect(html).not.toContain('{{');
    const mail = await simpleParser(readFileSync(result.files.eml));
    expect(mail.subject).toBe(result.subject);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(
      '"Sample Reader" <sample.reader@example.com>',
    );
    expect(mail.headers.get('list')).toMatchObject({ id: { id: 'podcast.signal-noise.example.com' } });
    expect(mail.headers.get('x-tidings-preview')).toContain('throwaway preview key');
    expect(readFileSync(result.files.text, 'utf8')).toMatch(
      /unsubscribe\s+\[https:\/\/news\.signal-noise\.example\.com\/unsubscribe\?token=t1\.preview-sample-key\./,
    );
  });

  it('puts every post of a feed into one digest with --digest, filtered by --since', () => {
    const out = mkdtempSync(join(tmpdir(), 'tidings-preview-'));
    const all = tidings('preview', 'examples/feeds/atom.xml', '--digest', '--out', out);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('Subject: 3 new posts from Signal & Noise');
    expect(existsSync(join(out, 'digest-podcast.html'))).toBe(true);
    const recent = tidings(
      'preview',
      'examples/feeds/atom.xml',
      '--digest',
      '--since',
      '2026-02-20',
      '--out',
      out,
    );
    expect(recent.code, recent.stderr).toBe(0);
    expect(recent.stdout).toContain('Subject: 2 new posts from Signal & Noise');
  });

  it.each([
    [
      ['preview', 'examples/posts/nope.md'],
      /^tidings: examples\/posts\/nope\.md: could not be read: no such file\n$/,
    ],
    [
      ['preview', 'examples/feeds/substack.xml', '--post', 'zzz'],
      /^tidings: no post "zzz" in examples\/feeds\/substack\.xml; .*1 ep-41/,
    ],
    [
      ['preview', 'examples/posts/short-note.md', '--list', 'nope'],
      /^tidings: no list "nope" in the config; the lists are: podcast, essays\n$/,
    ],
    [
      ['preview', 'examples/feeds/atom.xml', '--digest', '--since', 'last week'],
      /^tidings: --since "last week" is not an ISO 8601 date; use YYYY-MM-DD/,
    ],
    // Date.parse took these as 2001-01-01 and March 5 of 2001.
    [
      ['preview', 'examples/feeds/atom.xml', '--digest', '--since', '1'],
      /^tidings: --since "1" is not an ISO 8601 date; use YYYY-MM-DD \(e\.g\. 2026-11-01\)/,
    ],
    [
      ['preview', 'examples/feeds/atom.xml', '--digest', '--since', 'March 5'],
      /^tidings: --since "March 5" is not an ISO 8601 date/,
    ],
    [
      ['preview', 'examples/feeds/atom.xml', '--digest', '--since', '2026-02-30'],
      /^tidings: --since "2026-02-30" is not an ISO 8601 date/,
    ],
    [
      ['preview', 'test/fixtures/posts/broken.xml'],
      /^tidings: test\/fixtures\/posts\/broken\.xml: XML error at line 8, column 5: Expected closing tag 'item'/,
    ],
    [
      ['preview', 'test/fixtures/posts/not-a-feed.html'],
      /^tidings: test\/fixtures\/posts\/not-a-feed\.html: not a feed \(it is an HTML page\); expected RSS 2\.0, Atom 1\.0 or JSON Feed 1\.1\n$/,
    ],
    [
      ['preview', 'examples/posts/short-note.md', '--lsit', 'essays'],
      /^tidings: error: unknown option '--lsit' \(Did you mean --list\?\) \(see tidings --help\)\n$/,
    ],
  ])('refuses %j with exit 1 and one line', (args, message) => {
    const run = tidings(...args);
    expectOneLineRefusal(run, message);
  });

  it('shows the stack trace of the same error only with --debug', () => {
    // Act
    const plain = tidings('preview', 'test/fixtures/posts/broken.xml');
    const debug = tidings('preview', 'test/fixtures/posts/broken.xml', '--debug');
    // Assess
    expectOneLineRefusal(plain, /XML error at line 8/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.code).toBe(1);
    const [first, ...stack] = debug.stderr.trim().split('\n');
    expect(first).toBe(plain.stderr.trim());
    expect(stack[0]).toMatch(/^InvalidInputError: .*XML error at line 8/);
    expect(
      stack.some((line) => /^\s+at parseFeed \(.*functions\/core\/posts\/feed\.ts:\d+:\d+\)$/.test(line)),
    ).toBe(true);
  });

  it('names the URL and the HTTP status when a feed URL answers 404', async () => {
    // Prepare
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
    try {
      // Act
      const run = await tidingsAsync(
        'preview',
        url,
        '--out',
        mkdtempSync(join(tmpdir(), 'tidings-preview-')),
      );
      // Assess
      expectOneLineRefusal(
        run,
        new RegExp(`^tidings: ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: could not be read: HTTP 404`),
      );
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });

  it('refuses an --out that is a file, in one line naming it and the fix', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'tidings-preview-')), 'not-a-folder');
    writeFileSync(file, 'already here');
    // Act
    const run = tidings('preview', 'examples/posts/short-note.md', '--out', file);
    // Assess
    expectOneLineRefusal(
      run,
      new RegExp(
        `^tidings: --out ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the preview there \\(a file is in the way where a folder should be\\); pass --out with a folder you can write to\\n$`,
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe('already here');
  });

  it('tells in --json which post of a digest each warning came from, with stable codes', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-preview-'));
    // Act
    const run = tidings('preview', 'examples/feeds/substack.xml', '--digest', '--out', out, '--json');
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as PreviewJson;
    expect(result.warnings).toContainEqual({
      code: 'DROPPED_SUBSCRIBE_WIDGET',
      message: 'removed 1 subscribe widget from the body',
      post: 'ep-41-feeds-all-the-way-down',
    });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'PAYWALL_CUT', post: 'the-case-for-slow-email' }),
    );
    const text = tidings('preview', 'examples/feeds/substack.xml', '--digest', '--out', out);
    expect(text.stdout).toContain(
      '  DROPPED_SUBSCRIBE_WIDGET: [ep-41-feeds-all-the-way-down] removed 1 subscribe widget from the body\n',
    );
  });

  it('puts into a digest preview only what a digest of the list would carry', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-preview-'));
    // Act
    const run = tidings('preview', 'test/fixtures/posts/digest-folder', '--digest', '--out', out, '--json');
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as PreviewJson;
    expect(result.subject).toBe('2 new posts from Signal & Noise');
    const html = readFileSync(result.files.html, 'utf8');
    expect(html).toContain('On the podcast list');
    expect(html).toContain('For every list');
    for (const title of ['Essays only', 'Still a draft', 'Never sent']) expect(html).not.toContain(title);
    expect(result.excluded).toEqual([
      { post: 'essays-only', reason: 'not on list "podcast" (its lists: essays)' },
      { post: 'never-sent', reason: 'send: never' },
      { post: 'still-a-draft', reason: 'draft' },
    ]);
    const essays = tidings(
      'preview',
      'test/fixtures/posts/digest-folder',
      '--digest',
      '--list',
      'essays',
      '--out',
      out,
    );
    expect(essays.stdout).toContain('Subject: 2 new posts from Signal & Noise');
    expect(essays.stdout).toContain('  on-the-list: not on list "essays" (its lists: podcast)');
  });

  it('links a feed item without any link to the site, with an ITEM_NO_LINK warning', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-preview-'));
    // Act
    const run = tidings('preview', 'test/fixtures/posts/no-links.xml', '--out', out, '--json');
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as PreviewJson;
    expect(result.warnings.map((w) => w.code)).toEqual(['ITEM_NO_LINK']);
    const html = readFileSync(result.files.html, 'utf8');
    expect(html).not.toContain('invalid.invalid');
    expect(html).toMatch(/<a href="https:\/\/signal-noise\.example\.com\/"[^>]*>Linkless<\/a>/);
  });

  it('reads a TypeScript config from a folder outside the checkout', () => {
    // Prepare: the example config as a plain object, with no import of tidings and its own site name.
    const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
    expect(relative(repo, dir).startsWith('..')).toBe(true);
    const example = readFileSync(join(repo, 'examples/tidings.config.ts'), 'utf8');
    const plain = example
      .replace(/^import .*\n/m, '')
      .replace('export default defineConfig(', 'export default (')
      .replace("name: 'Signal & Noise',", "name: 'Outside Weekly',");
    expect(plain).toContain("name: 'Outside Weekly'");
    const config = join(dir, 'x.config.ts');
    writeFileSync(config, plain);
    // Act
    const run = tidings(
      'preview',
      'examples/feeds/atom.xml',
      '--digest',
      '--config',
      config,
      '--out',
      join(dir, 'out'),
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Subject: 3 new posts from Outside Weekly');
  });
});
