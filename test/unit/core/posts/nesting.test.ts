import { describe, expect, it } from 'vitest';
import { normalizeBody } from '../../../../functions/core/posts/body.ts';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import { parseMarkdownPost } from '../../../../functions/core/posts/markdown.ts';

// 3,000 levels, about 33 KB: past this, cheerio's serializer overflowed the stack.
const deep = `${'<div>'.repeat(3000)}Deep <b>text</b>${'</div>'.repeat(3000)}`;

describe('HTML nested thousands of levels deep', () => {
  it('is flattened to its text at 100 levels, with one warning, and the rest of the body is kept', () => {
    // Act
    const body = normalizeBody(`<p>Before</p>${deep}<p>After</p>`, { baseUrl: 'https://example.com/p/x' });
    // Assess
    expect(body.html).toContain('<p>Before</p>');
    expect(body.html).toContain('Deep text');
    expect(body.html).toContain('<p>After</p>');
    expect(body.html.match(/<div>/g)).toHaveLength(100);
    expect(body.warnings).toEqual([
      {
        code: 'FLATTENED_NESTING',
        message: 'flattened HTML nested deeper than 100 levels to its text (1 place)',
      },
    ]);
  });

  it('leaves ordinary nesting alone, without a warning', () => {
    // Act
    const body = normalizeBody('<blockquote><ul><li><p><em>x</em></p></li></ul></blockquote>', {
      baseUrl: 'https://example.com/p/x',
    });
    // Assess
    expect(body.html).toBe('<blockquote><ul><li><p><em>x</em></p></li></ul></blockquote>');
    expect(body.warnings).toEqual([]);
  });

  it('parses a Markdown post and a feed item carrying it, in the body and the title made from it', () => {
    // Act
    const post = parseMarkdownPost(`---\ntitle: Deep\ndate: 2026-01-05\n---\n\n${deep}\n`, {
      path: 'deep.md',
      siteUrl: 'https://example.com',
    });
    const escaped = deep.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    const [item] = parseFeed(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com</link><item><guid>g1</guid><link>https://example.com/p/1</link><description>${escaped}</description></item></channel></rss>`,
      { source: 'feed.xml', siteUrl: 'https://example.com' },
    );
    // Assess
    expect(post.bodyHtml).toContain('Deep text');
    expect(post.warnings.map((w) => w.code)).toContain('FLATTENED_NESTING');
    expect(item?.title).toBe('Deep text');
    expect(item?.bodyHtml).toContain('Deep text');
  });
});
