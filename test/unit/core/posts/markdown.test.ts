import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../functions/core/errors.ts';
import { parseMarkdownPost } from '../../../../functions/core/posts/markdown.ts';

const root = resolve(import.meta.dirname, '../../../..');
const siteUrl = 'https://signal-noise.example.com';
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
const parse = (path: string) => parseMarkdownPost(read(path), { path, siteUrl });
const post = (frontMatter: string, body = 'Hello.') => `---\n${frontMatter}\n---\n${body}\n`;

/** The one-line message a bad post gives, or a failure if it parses. */
function errorOf(source: string, path = 'posts/bad.md'): string {
  try {
    parseMarkdownPost(source, { path, siteUrl });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected the post to be rejected');
}

describe('parseMarkdownPost', () => {
  it('reads the podcast example: title, headings, guests, quote, video card, audio and the comment button', () => {
    // Act
    const p = parse('examples/posts/podcast-episode.md');

    // Assess
    expect(p.title).toBe('Ep. 42: The quiet web, with Maya Okafor and Tomás Reyes');
    expect(p.id).toBe('ep-42-the-quiet-web');
    expect(p.url).toBe('https://signal-noise.example.com/ep-42-the-quiet-web');
    expect(p.date).toBe('2026-03-03T07:00:00.000Z');
    expect(p.authors).toEqual(['Ada Lindqvist']);
    expect(p.lists).toEqual(['podcast']);
    expect(p.cover).toEqual({
      url: 'https://signal-noise.example.com/images/ep-42-cover.jpg',
      alt: 'Maya Okafor and Tomás Reyes laughing in the recording booth',
    });
    expect(p.bodyHtml).toContain('<h2>In this episode</h2>');
    expect(p.bodyHtml).toContain('<h3>Why now?</h3>');
    expect(p.bodyHtml).toContain('<li><strong>Maya Okafor</strong>, designer and author');
    expect(p.bodyHtml).toMatch(/<blockquote>\s*<p>“A feed that shows me everything/);
    expect(p.bodyHtml).toContain(
      '<a href="https://github.com/example/quiet-reader">feed reader on GitHub</a>',
    );
    expect(p.bodyHtml).toContain(
      '<p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/ep-42-the-quiet-web/comments">Leave a comment</a></p>',
    );
    expect(p.bodyHtml).toContain('<div class="tidings-media" data-media-index="0"></div>');
    expect(p.bodyHtml).not.toContain('youtube.com');
    expect(p.media).toEqual([
      {
        kind: 'video',
        provider: 'youtube',
        url: 'https://www.youtube.com/watch?v=M7lc1UVf-VE',
        image: 'https://img.youtube.com/vi/M7lc1UVf-VE/hqdefault.jpg',
      },
      {
        kind: 'audio',
        provider: 'front-matter',
        url: 'https://signal-noise.example.com/audio/ep-42-the-quiet-web.mp3',
        title: 'Ep. 42: The quiet web',
        duration: 58 * 60 + 17,
        image: 'https://signal-noise.example.com/images/podcast-art.jpg',
        type: 'audio/mpeg',
      },
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('reads the long essay: captioned and plain images with alt, a code block and its footnotes', () => {
    const p = parse('examples/posts/long-essay.md');

    expect(p.send).toBe('digest');
    expect(p.date).toBe('2026-02-21T08:30:00.000Z');
    expect(p.bodyHtml.match(/<h2>/g)).toHaveLength(7);
    expect(p.bodyHtml).toMatch(
      /<figure class="tidings-figure"><img src="https:\/\/signal-noise\.example\.com\/images\/essay-timeline\.png" alt="A hand-drawn timeline[^"]*" width="600" style="max-width:100%;height:auto" \/><figcaption>Feed readers peaked around 2012\./,
    );
    expect(p.bodyHtml).toContain(
      'alt="Two columns of index cards, one sorted by date and one shuffled, photographed from above"',
    );
    expect(p.bodyHtml).toContain('<pre><code class="language-ts">// Render the edition once;');
    expect(p.bodyHtml).toContain('<section class="footnotes">');
    expect(p.bodyHtml.match(/class="footnote-item"/g)).toHaveLength(3);
    expect(p.bodyHtml).toContain(
      'href="https://signal-noise.example.com/the-order-things-were-written-in#fn1"',
    );
    expect(p.excerpt.length).toBeLessThanOrEqual(300);
    expect(p.excerpt).toMatch(/^For about six years I read the internet in the order it was written\..*…$/);
    expect(p.warnings).toEqual([]);
  });

  it('reads the short note, with its excerpt from the front matter and two lists', () => {
    const p = parse('examples/posts/short-note.md');

    expect(p.slug).toBe('short-note');
    expect(p.excerpt).toBe('Essays move to Saturday mornings, and the podcast keeps its Tuesday slot.');
    expect(p.lists).toEqual(['essays', 'podcast']);
    expect(p.bodyHtml).toContain('<strong>Saturday mornings</strong>');
    expect(p.media).toEqual([]);
  });

  it('defaults the slug to the file name, the url to the site url, send to instant and draft to false', () => {
    const p = parseMarkdownPost(post('title: Hi\ndate: 2026-01-05'), {
      path: 'posts/My First Post.md',
      siteUrl: 'https://example.com/blog/',
    });

    expect(p).toMatchObject({
      id: 'my-first-post',
      slug: 'my-first-post',
      url: 'https://example.com/blog/my-first-post',
      send: 'instant',
      draft: false,
      date: '2026-01-05T00:00:00.000Z',
    });
    expect(p.lists).toBeUndefined();
  });

  it("keeps posts off the web archive's own folders: a file page.md becomes page-2, slug: digests is refused", () => {
    const p = parseMarkdownPost(post('title: Hi\ndate: 2026-01-05'), { path: 'posts/page.md', siteUrl });

    expect(p.slug).toBe('page-2');
    expect(errorOf(post('title: Hi\ndate: 2026-01-05\nslug: digests'))).toBe(
      `posts/bad.md: front matter "slug" must be lowercase letters, digits and hyphens, such as my-first-post, other than page or digests (the web archive's own folders) (got "digests")`,
    );
  });

  it('reads every optional front matter field', () => {
    const p = parseMarkdownPost(
      post(
        [
          'title: 1984',
          'date: 2026-01-05T09:30:00+02:00',
          'subtitle: A re-reading',
          'slug: nineteen-eighty-four',
          'author: [Ada, Grace]',
          'url: https://books.example.com/1984',
          'cover: /covers/1984.jpg',
          'coverAlt: A grey book cover',
          'media:',
          '  - kind: video',
          '    url: https://cdn.example.com/talk.mp4',
          '    title: The talk',
          '    duration: 754',
          '    image: /posters/talk.jpg',
          'tags: books, re-reading',
          'lists: essays',
          'send: never',
          'excerpt: "Short.\\nAnd sweet."',
          'draft: true',
        ].join('\n'),
      ),
      { path: 'posts/x.md', siteUrl },
    );

    expect(p).toMatchObject({
      id: 'nineteen-eighty-four',
      title: '1984',
      subtitle: 'A re-reading',
      date: '2026-01-05T07:30:00.000Z',
      authors: ['Ada', 'Grace'],
      url: 'https://books.example.com/1984',
      cover: { url: 'https://books.example.com/covers/1984.jpg', alt: 'A grey book cover' },
      media: [
        {
          kind: 'video',
          provider: 'front-matter',
          url: 'https://cdn.example.com/talk.mp4',
          title: 'The talk',
          duration: 754,
          image: 'https://books.example.com/posters/talk.jpg',
        },
      ],
      tags: ['books', 're-reading'],
      lists: ['essays'],
      send: 'never',
      excerpt: 'Short. And sweet.',
      draft: true,
    });
  });

  it('keeps non-ASCII text, emoji and right-to-left text intact', () => {
    const p = parseMarkdownPost(
      post(
        'title: "Café ☕ — مرحبا بالعالم 🎉"\ndate: 2026-01-05',
        '<p dir="rtl" lang="ar">مرحبا بالعالم</p>\n\nÜbung macht den Meister 💪',
      ),
      { path: 'x.md', siteUrl },
    );

    expect(p.title).toBe('Café ☕ — مرحبا بالعالم 🎉');
    expect(p.bodyHtml).toContain('<p dir="rtl" lang="ar">مرحبا بالعالم</p>');
    expect(p.bodyHtml).toContain('Übung macht den Meister 💪');
  });

  it('turns a CR/LF in the title or an author into a space', () => {
    const p = parse('test/fixtures/posts/hostile.md');

    expect(p.title).toBe('Totally normal post Bcc: everyone@example.com');
    expect(p.authors).toEqual(['Mallory Reply-To: attacker@example.com']);
  });

  it('renders a hostile post safely and says what it removed', () => {
    const p = parse('test/fixtures/posts/hostile.md');
    const html = p.bodyHtml;

    expect(html).not.toMatch(/<script|<iframe|<form|<input|<button|<style|<object|<svg/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
    expect(html).not.toContain('style="position');
    expect(html).not.toContain('data-media-index="7"');
    expect(html).toContain('Click me');
    expect(html).toContain('Styled paragraph');
    expect(html).toContain('alt="A pixel"');
    expect(p.media).toEqual([]);
    expect(p.warnings.map((w) => w.code).sort()).toEqual([
      'DROPPED_EVENT_HANDLER',
      'DROPPED_FORM',
      'DROPPED_IFRAME',
      'DROPPED_SCRIPT',
      'DROPPED_STYLE',
      'UNSAFE_URL',
    ]);
  });

  it('makes a {.button} link a button and lets no other attribute through', () => {
    const p = parseMarkdownPost(
      post(
        'title: x\ndate: 2026-01-05',
        '[Read it](/read){.button}\n\nText {onclick=alert(1) style=color:red}',
      ),
      { path: 'x.md', siteUrl },
    );

    expect(p.bodyHtml).toContain(
      '<p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/read">Read it</a></p>',
    );
    expect(p.bodyHtml).not.toMatch(/onclick|style=/);
  });

  it('warns about a front matter field it does not know, naming it', () => {
    const p = parseMarkdownPost(post('title: x\ndate: 2026-01-05\ntittle: typo'), {
      path: 'posts/x.md',
      siteUrl,
    });

    expect(p.warnings).toEqual([
      {
        code: 'UNKNOWN_FRONT_MATTER_FIELD',
        message: 'posts/x.md: front matter field "tittle" is not known and was ignored',
      },
    ]);
  });

  it.each([
    ['a missing title', post('date: 2026-01-05'), 'posts/bad.md: front matter "title" is required'],
    ['a missing date', post('title: Hello'), 'posts/bad.md: front matter "date" is required'],
    [
      'a date that is not ISO 8601',
      post('title: Hello\ndate: yesterday'),
      'posts/bad.md: front matter "date" must be an ISO 8601 date such as 2026-03-01 or 2026-03-01T09:30:00Z (got "yesterday")',
    ],
    [
      'an impossible date',
      post('title: Hello\ndate: 2026-02-30'),
      'posts/bad.md: front matter "date" must be an ISO 8601 date such as 2026-03-01 or 2026-03-01T09:30:00Z (got "2026-02-30")',
    ],
    [
      'a bad send mode',
      post('title: Hello\ndate: 2026-01-05\nsend: weekly'),
      'posts/bad.md: front matter "send" must be "instant", "digest" or "never" (got "weekly")',
    ],
    [
      'a media item of an unknown kind',
      post('title: Hello\ndate: 2026-01-05\nmedia:\n  - kind: film\n    url: /x.mp4'),
      'posts/bad.md: front matter "media[0].kind" must be "audio" or "video" (got "film")',
    ],
    [
      'a media duration that is not a duration',
      post('title: Hello\ndate: 2026-01-05\nmedia:\n  - kind: audio\n    url: /x.mp3\n    duration: an hour'),
      'posts/bad.md: front matter "media[0].duration" must be seconds or hh:mm:ss (got "an hour")',
    ],
    [
      'a relative url',
      post('title: Hello\ndate: 2026-01-05\nurl: /hello'),
      'posts/bad.md: front matter "url" must be an absolute http(s) URL (got "/hello")',
    ],
    [
      'a draft flag that is not a boolean',
      post('title: Hello\ndate: 2026-01-05\ndraft: maybe'),
      'posts/bad.md: front matter "draft" must be true or false (got "maybe")',
    ],
    [
      'no front matter at all',
      '# Just a heading\n',
      'posts/bad.md: no front matter; start the file with "---", then at least "title:" and "date:", then "---"',
    ],
  ])('rejects %s with one line naming the file and the field', (_, source, message) => {
    expect(errorOf(source)).toBe(message);
  });

  it('rejects front matter that is not YAML, with the line of the problem', () => {
    const message = errorOf(post('title: [unclosed\ndate: 2026-01-05'));

    expect(message).toMatch(/^posts\/bad\.md: front matter is not valid YAML: .*line \d+/);
    expect(message).not.toContain('\n');
  });
});
