import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { formatDuration, renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { anExampleConfig, aPost } from '../../../helpers/factories.ts';

const config = anExampleConfig();
const list = config.lists[0] ?? (undefined as never);

async function render(
  posts: Post[],
  kind: 'post' | 'digest' = 'post',
  overrides: Partial<typeof config> = {},
) {
  return renderEdition({
    kind,
    posts,
    list,
    config: { ...config, ...overrides },
    templates: await loadTemplates(),
    editionId: 'podcast:post:ep-42',
    now: new Date('2026-11-29T08:00:00Z'),
  });
}

function attrs(html: string, name: string): string[] {
  const $ = load(html);
  return $(`[${name}]`)
    .toArray()
    .map((el) => $(el).attr(name) ?? '');
}

describe('renderEdition', () => {
  it('renders a post with its title, headings, list items, links, media cards and comment button', async () => {
    // Act
    const edition = await render([aPost()]);
    // Assess
    const $ = load(edition.html);
    expect(edition.subject).toBe('Episode 42: Finding signals in the noise');
    expect(edition.preheader).toBe('How small teams ship reliable newsletters without a mail server');
    expect($('h1').text()).toContain('Episode 42: Finding signals in the noise');
    expect(
      $('h2')
        .toArray()
        .map((h) => $(h).text()),
    ).toEqual(['What we cover', 'Show notes']);
    expect(
      $('li')
        .toArray()
        .map((li) => $(li).text()),
    ).toContain('Rendering once, personalizing many');
    expect($('a[href="https://www.rfc-editor.org/rfc/rfc8058"]').text()).toBe('RFC 8058');
    expect($('.tidings-card-audio').text()).toContain('Listen · 47:23');
    expect($('.tidings-card-video a[href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"]').text()).toContain(
      'Play video',
    );
    expect(edition.html).toContain('<v:rect');
    expect($('a[href="https://signal-noise.example.com/episodes/42/comments"]').text()).toContain(
      'Leave a comment',
    );
    expect($('.tidings-media')).toHaveLength(0);
  });

  it('leaves the per-recipient parts as slots and keeps the footer in both parts', async () => {
    const edition = await render([aPost()]);
    for (const part of [edition.html, edition.text]) {
      expect(part).toContain('{{greeting}}');
      expect(part).toContain('{{email}}');
      expect(part).toContain('{{unsubscribeUrl}}');
      expect(part).toContain('{{preferencesUrl}}');
      expect(part).toContain('548 Market St #1234');
    }
    expect(load(edition.html)('.t-footer').text()).toContain(
      'You subscribed to new episodes of the Signal & Noise podcast.',
    );
    expect(edition.text).toContain('You subscribed to new episodes of the Signal & Noise podcast.');
    expect(edition.bytes.html).toBe(Buffer.byteLength(edition.html));
  });

  it('makes a text twin that keeps the links as "text [url]"', async () => {
    const edition = await render([aPost()]);
    expect(edition.text).toContain('RFC 8058 [https://www.rfc-editor.org/rfc/rfc8058]');
    expect(edition.text).toContain('Leave a comment [https://signal-noise.example.com/episodes/42/comments]');
    expect(edition.text).toContain(' * Why one-click unsubscribe matters');
    expect(edition.text).not.toContain('<');
  });

  it('gives every image an alt, sets lang and color-scheme, and uses only absolute URLs', async () => {
    const edition = await render([aPost()]);
    const $ = load(edition.html);
    expect($('html').attr('lang')).toBe('en');
    expect($('meta[name="color-scheme"]').attr('content')).toBe('light dark');
    expect(edition.html).toContain('prefers-color-scheme: dark');
    expect($('img').length).toBeGreaterThan(2);
    // The post gives every image an alt, so none is empty: logo, cover, the audio card's artwork, the figure
    const alts = new Map(
      $('img')
        .toArray()
        .map((img) => [$(img).attr('src'), $(img).attr('alt')]),
    );
    expect(alts).toEqual(
      new Map([
        ['https://signal-noise.example.com/logo.png', 'Signal & Noise'],
        ['https://signal-noise.example.com/img/ep42-cover.jpg', 'Two microphones on a desk'],
        [
          'https://signal-noise.example.com/img/podcast-art.jpg',
          'Artwork: Episode 42: Finding signals in the noise',
        ],
        ['https://signal-noise.example.com/img/studio.jpg', 'The studio'],
      ]),
    );
    expect(edition.warnings.map((w) => w.code)).not.toContain('IMAGE_NO_ALT');
    for (const url of [...attrs(edition.html, 'href'), ...attrs(edition.html, 'src')]) {
      expect(url).toMatch(/^(https:\/\/|mailto:|\{\{(unsubscribeUrl|preferencesUrl)\}\}$)/);
    }
  });

  it('hides the preheader without white-on-white text', async () => {
    const edition = await render([aPost()]);
    const $ = load(edition.html);
    const pre = $('.tidings-preheader').not('.tidings-preheader-spacer');
    expect(pre.text()).toBe(edition.preheader);
    expect(pre.attr('style')).toContain('display:none');
    expect(pre.attr('style')).not.toMatch(/color/);
  });

  it('drops scripts, event handlers, iframes, forms and javascript: links that reach it', async () => {
    const hostile = aPost({
      bodyHtml:
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">click</a></p><script>alert(1)</script>' +
        '<img src="https://x.example/a.png" onerror="alert(2)"><iframe src="https://evil.example"></iframe>' +
        '<form action="https://evil.example"><input name="q"></form><a href="/relative">rel</a>',
      media: [],
    });
    const edition = await render([hostile]);
    expect(edition.html).not.toMatch(/<script|<iframe|<form|javascript:|\son[a-z]+=/i);
    expect(load(edition.html)('a:contains("rel")').attr('href')).toBe(
      'https://signal-noise.example.com/relative',
    );
    expect(edition.warnings.map((w) => w.code)).toContain('IMAGE_NO_ALT');
  });

  it('strips CR/LF from a title used as the subject, and escapes HTML in it', async () => {
    const edition = await render([aPost({ title: 'Breaking\r\nBcc: victim@example.com <b>bold</b>' })]);
    expect(edition.subject).toBe('Breaking Bcc: victim@example.com <b>bold</b>');
    expect(edition.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(edition.html).not.toContain('<b>bold</b>');
  });

  it('keeps a non-ASCII title, emoji and right-to-left text intact, and sets dir=rtl for an RTL post', async () => {
    const emoji = await render([aPost({ title: 'Épisode 42 — ça marche 🎙️' })]);
    expect(emoji.subject).toBe('Épisode 42 — ça marche 🎙️');
    expect(load(emoji.html)('h1').text()).toContain('ça marche 🎙️');
    const rtl = await render([
      aPost({ title: 'שלום עולם: פרק חדש', bodyHtml: '<p>זהו פרק חדש של הפודקאסט.</p>' }),
    ]);
    expect(load(rtl.html)('html').attr('dir')).toBe('rtl');
    expect(rtl.text).toContain('זהו פרק חדש של הפודקאסט.');
  });

  it('cuts a 300 KB body at a block boundary, adds "Continue reading" and warns GMAIL_CLIP_RISK', async () => {
    // Prepare
    const paragraph = '<p>All work and no play makes a long newsletter that Gmail would clip. '.repeat(3);
    const blocks = Array.from({ length: 1400 }, (_, i) => `${paragraph} Block ${i}.</p>`).join('\n');
    expect(blocks.length).toBeGreaterThan(300_000);
    // Act
    const edition = await render([aPost({ bodyHtml: blocks, media: [] })]);
    // Assess
    expect(edition.warnings.map((w) => w.code)).toContain('GMAIL_CLIP_RISK');
    expect(edition.bytes.html).toBeLessThanOrEqual(100 * 1024);
    expect(edition.bytes.html).toBeGreaterThan(60 * 1024);
    const $ = load(edition.html);
    expect($('a.tidings-button:contains("Continue reading")').attr('href')).toBe(aPost().url);
    for (const tag of ['p', 'table', 'tr', 'td', 'div', 'a']) {
      const opened = (edition.html.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;
      const closed = (edition.html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length;
      expect(closed, tag).toBe(opened);
    }
    expect(edition.html.trimEnd().endsWith('</html>')).toBe(true);
    expect(edition.text).toContain('Continue reading [https://signal-noise.example.com/episodes/42]');
  });

  it('escapes "{{" from the content so it cannot become a slot', async () => {
    const edition = await render([
      aPost({ bodyHtml: '<p>Write {{unsubscribeUrl}} and \\{{email}} in your template.</p>', media: [] }),
    ]);
    expect(edition.html).toContain('Write {{lb}}unsubscribeUrl}} and {{bs}}{{lb}}email}} in your template.');
  });

  it('renders a digest: one card per post with image, excerpt and "Read more"', async () => {
    const second = aPost({
      id: 'note-1',
      slug: 'note-1',
      title: 'A short note',
      url: 'https://signal-noise.example.com/notes/1',
      media: [],
    });
    const edition = await render([aPost(), second], 'digest');
    const $ = load(edition.html);
    expect(edition.subject).toBe('2 new posts from Signal & Noise');
    expect(
      $('h2')
        .toArray()
        .map((h) => $(h).text().trim()),
    ).toEqual(['Episode 42: Finding signals in the noise', 'A short note']);
    expect(
      $('a:contains("Read more")')
        .toArray()
        .map((a) => $(a).attr('href')),
    ).toEqual([aPost().url, second.url]);
    expect($('img[alt="Two microphones on a desk"]').length).toBe(2);
  });

  it('takes the subject and preheader from their templates', async () => {
    const templates = await loadTemplates();
    const edition = await renderEdition({
      kind: 'post',
      posts: [aPost()],
      list,
      config,
      templates: {
        ...templates,
        subjects: {
          post: { subject: '[{{site.name}}] {{post.title}}', preheader: 'New from {{list.name}}' },
          digest: { subject: 'x', preheader: 'y' },
        },
      },
      editionId: 'podcast:post:ep-42',
      now: new Date('2026-11-29T08:00:00Z'),
    });
    expect(edition.subject).toBe('[Signal & Noise] Episode 42: Finding signals in the noise');
    expect(edition.preheader).toBe('New from Signal & Noise: the podcast');
  });

  it('passes the post warnings through', async () => {
    const edition = await render([
      aPost({ warnings: [{ code: 'DROPPED_IFRAME', message: 'a tweet was dropped' }] }),
    ]);
    expect(edition.warnings).toContainEqual({ code: 'DROPPED_IFRAME', message: 'a tweet was dropped' });
  });
});

describe('formatDuration', () => {
  it('shows m:ss under an hour and h:mm:ss from an hour up', () => {
    expect(formatDuration(312)).toBe('5:12');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
