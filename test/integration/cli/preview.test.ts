import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';

function tidings(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/tidings.mjs', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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
      /^tidings: --since "last week" is not a date/,
    ],
  ])('refuses %j with exit 1 and one line', (args, message) => {
    const run = tidings(...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });
});
