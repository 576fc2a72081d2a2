import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { anEmailFor, aPost } from '../../../helpers/factories.ts';

const viewLink = (html: string) => {
  const $ = load(html);
  return $('a')
    .filter((_, a) => $(a).text().trim() === 'View in browser')
    .first()
    .attr('href');
};

describe('"View in browser"', () => {
  it('opens the post’s page in the web archive, which publish writes', async () => {
    const { mail } = await anEmailFor([aPost({ slug: 'ep-42-the-quiet-web' })], 'post');
    expect(viewLink(String(mail.html))).toBe(
      'https://news.signal-noise.example.com/archive/ep-42-the-quiet-web/',
    );
  });

  it('opens the digest’s own page for a digest, which the digest writes before it is planned', async () => {
    const { mail } = await anEmailFor(
      [aPost({ id: 'a', slug: 'a' }), aPost({ id: 'b', slug: 'b' })],
      'digest',
    );
    // anEmailFor renders the edition `example`.
    expect(viewLink(String(mail.html))).toBe(
      'https://news.signal-noise.example.com/archive/digests/example/',
    );
  });
});
