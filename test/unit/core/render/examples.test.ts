import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { loadPosts } from '../../../../functions/adapters/fs/post-source.ts';
import { anEmailFor, anExampleConfig, EXAMPLE_SOURCES } from '../../../helpers/factories.ts';

const config = anExampleConfig();

const cases = await Promise.all(
  EXAMPLE_SOURCES.map(async (source) => ({
    source,
    posts: await loadPosts(source, { siteUrl: config.site.url }),
  })),
);
const perPost = cases.flatMap(({ source, posts }) =>
  posts.map((post) => ({ name: `${source} › ${post.slug}`, post })),
);

describe('every example as an email', () => {
  it('has examples to check', () => {
    expect(perPost.length).toBeGreaterThanOrEqual(6);
  });

  it.each(perPost)(
    '$name: keeps the title, headings, list items and links, in html and text',
    async ({ post }) => {
      // Act
      const { mail } = await anEmailFor([post], 'post');
      // Assess
      const html = mail.html || '';
      const $ = load(html);
      const body = load(post.bodyHtml, null, false);
      expect(mail.subject).toBe(post.title.replace(/\s+/g, ' ').trim());
      expect($('h1').text()).toContain(post.title.replace(/\s+/g, ' ').trim());
      const headings = $('h1, h2, h3, h4')
        .toArray()
        .map((h) => $(h).text().trim());
      body('h1, h2, h3, h4').each((_, h) => {
        expect(headings).toContain(body(h).text().trim());
      });
      const items = $('li')
        .toArray()
        .map((li) => $(li).text().trim());
      body('li').each((_, li) => {
        expect(items).toContain(body(li).text().trim());
      });
      const hrefs = new Set(
        $('a[href]')
          .toArray()
          .map((a) => $(a).attr('href')),
      );
      body('a[href]').each((_, a) => {
        const href = body(a).attr('href') ?? '';
        expect(hrefs.has(href), href).toBe(true);
        expect(mail.text, href).toContain(href);
      });
    },
  );

  it.each(perPost)('$name: is safe, accessible, absolute and small', async ({ post }) => {
    const { mail, links, edition } = await anEmailFor([post], 'post');
    const html = mail.html || '';
    const $ = load(html);
    expect(html).not.toMatch(/<script|<iframe|<form|javascript:/i);
    $('*').each((_, el) => {
      for (const name of Object.keys('attribs' in el ? el.attribs : {})) expect(name).not.toMatch(/^on/i);
    });
    // Every image of the post reaches the email with the author's alt text: the site logo, the cover and
    // each body image (audio cards add their artwork). The renderer marks nothing as decorative: alt="" is
    // there only where the author gave no alt, and then the edition carries an IMAGE_NO_ALT warning.
    const images = $('img')
      .toArray()
      .map((img) => ({ src: $(img).attr('src') ?? '', alt: $(img).attr('alt') }));
    const bodyImages = load(
      post.bodyHtml,
      null,
      false,
    )('img')
      .toArray()
      .map((img) => ({ src: img.attribs.src ?? '', alt: img.attribs.alt ?? '' }));
    const expected = [
      { src: config.site.logo ?? '', alt: config.site.name },
      ...(post.cover ? [{ src: post.cover.url, alt: post.cover.alt ?? '' }] : []),
      ...bodyImages,
    ];
    expect(images.length).toBeGreaterThanOrEqual(expected.length);
    for (const image of expected) expect(images, image.src).toContainEqual(image);
    const noAlt = edition.warnings.filter((w) => w.code === 'IMAGE_NO_ALT').map((w) => w.message);
    for (const { src, alt } of images) {
      expect(typeof alt, src).toBe('string');
      if (alt !== '') continue;
      const isCover = post.cover?.url === src && !post.cover.alt;
      expect(isCover || bodyImages.some((b) => b.src === src && b.alt === ''), src).toBe(true);
      expect(
        noAlt.some((m) => (isCover ? m.includes(`"${post.title}"`) : m.includes(src))),
        src,
      ).toBe(true);
    }
    expect($('html').attr('lang')).toBe('en');
    for (const el of $('[href], [src]').toArray()) {
      const url = $(el).attr('href') ?? $(el).attr('src') ?? '';
      expect(url).toMatch(/^(https?:\/\/|mailto:)/);
    }
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    expect(mail.text).toContain(links.unsubscribeUrl);
    expect(mail.text).toContain(post.url);
  });

  it.each(perPost)('$name: parses back with every list header', async ({ post }) => {
    const { mail, raw, links } = await anEmailFor([post], 'post');
    expect(mail.from?.text).toBe('"Signal & Noise" <hello@signal-noise.example.com>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Rae Reader', address: 'reader@example.org' },
    ]);
    expect(mail.replyTo?.text).toBe('editors@signal-noise.example.com');
    expect(mail.date?.toISOString()).toBe('2026-11-29T09:00:00.000Z');
    expect(mail.messageId).toBe('<example.s_1@signal-noise.example.com>');
    expect(mail.headers.get('list')).toMatchObject({
      id: { id: 'podcast.signal-noise.example.com' },
      unsubscribe: {
        url: links.unsubscribeUrl,
        mail: 'unsubscribe@signal-noise.example.com?subject=unsubscribe',
      },
    });
    expect(raw.toString()).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it.each(cases.filter((c) => c.posts.length > 1))(
    '$source as a digest links every post',
    async ({ posts }) => {
      const { mail } = await anEmailFor(posts, 'digest');
      const $ = load(mail.html || '');
      for (const post of posts) {
        expect($(`a[href="${post.url}"]`).length, post.url).toBeGreaterThan(0);
        expect(mail.text).toContain(post.url);
      }
      expect(mail.subject).toBe(`${posts.length} new posts from Signal & Noise`);
    },
  );
});
