import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';

function tidings(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tidings.mjs', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tidings archive build', () => {
  it('writes the static archive of the example posts and feed, and says where', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-archive-'));

    // Act
    const run = tidings('archive', 'build', 'examples/posts', 'examples/feeds/substack.xml', '--out', out);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Archive: \d+ posts, \d+ files in /);
    for (const path of ['index.html', 'feed.xml', 'sitemap.xml', 'ep-42-the-quiet-web/index.html'])
      expect(existsSync(join(out, path)), path).toBe(true);
    const index = load(readFileSync(join(out, 'index.html'), 'utf8'));
    const links = index('.posts h2 a')
      .map((_, a) => index(a).attr('href'))
      .get();
    expect(links).toContain('https://news.signal-noise.example.com/archive/ep-42-the-quiet-web/');
  });

  it('stops with one line naming a source it cannot read, and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tidings-archive-')), 'site');
    const run = tidings('archive', 'build', 'examples/posts', 'no-such-post.md', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('tidings: no-such-post.md: could not be read: no such file');
    expect(existsSync(out)).toBe(false);
  });
});
