import { describe, expect, it } from 'vitest';
import { loadPosts } from '../../functions/adapters/fs/post-source.ts';
import { selectPost } from '../../functions/core/posts/select-post.ts';
import { anEmailFor, anExampleConfig, EXAMPLE_SOURCES } from '../helpers/factories.ts';
import { spamScore } from '../helpers/spamassassin.ts';

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
