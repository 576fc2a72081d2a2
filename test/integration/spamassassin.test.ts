import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadPosts } from '../../functions/adapters/local/post-source.ts';
import { selectPost } from '../../functions/core/posts/select-post.ts';
import { anEmailFor, anExampleConfig, EXAMPLE_SOURCES } from '../helpers/factories.ts';

/** Runs Debian's `spamassassin -L -t` (local tests only, no network) and returns the score and the rules hit. */
function spamScore(message: Buffer): Promise<{ score: number; report: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('spamassassin', ['-L', '-t'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const match = /Content analysis details:\s+\((-?[0-9.]+) points/.exec(out);
      if (!match?.[1]) return reject(new Error(`no score in spamassassin output:\n${out.slice(-2000)}`));
      const report = out.slice(out.indexOf('Content analysis details:'));
      resolve({ score: Number(match[1]), report });
    });
    child.stdin.end(message);
  });
}

const config = anExampleConfig();

describe('SpamAssassin', () => {
  it.each(EXAMPLE_SOURCES)('scores the email for the newest post of %s at 1.0 or less', async (source) => {
    // Prepare
    const post = selectPost(await loadPosts(source, { siteUrl: config.site.url }));
    const { raw } = await anEmailFor([post], 'post');
    // Act
    const { score, report } = await spamScore(raw);
    // Assess
    expect(score, report).toBeLessThanOrEqual(1.0);
  });

  it('scores a digest of the Substack feed at 1.0 or less', async () => {
    const posts = await loadPosts('examples/feeds/substack.xml', { siteUrl: config.site.url });
    const { raw } = await anEmailFor(posts, 'digest');
    const { score, report } = await spamScore(raw);
    expect(score, report).toBeLessThanOrEqual(1.0);
  });
});
