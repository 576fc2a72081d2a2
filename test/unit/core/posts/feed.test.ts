import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../functions/core/errors.ts';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';

const root = resolve(import.meta.dirname, '../../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
const parse = (path: string) => parseFeed(read(path), { source: path });

function errorOf(text: string, source = 'feeds/bad'): string {
  try {
    parseFeed(text, { source });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected the feed to be rejected');
}

const rss = (items: string, ns = '') =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"${ns}><channel><title>T</title><link>https://blog.example.com/</link>${items}</channel></rss>`;

describe('parseFeed', () => {
  it("gives an item whose link ends in /page or /digests another slug: those are the archive's folders", () => {
    const posts = parseFeed(
      rss(
        '<item><title>Page</title><link>https://blog.example.com/page</link><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>' +
          '<item><title>Digests</title><link>https://blog.example.com/digests</link><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>',
      ),
      { source: 'feeds/x' },
    );
    expect(posts.map((p) => p.slug)).toEqual(['page-2', 'digests-2']);
  });

  describe('the Substack example', () => {
    const posts = parse('examples/feeds/substack.xml');
    const [episode, paid, bonus] = posts;

    it('gives one post per item, with guid ids, titles, authors, dates and subtitles', () => {
      expect(posts.map((p) => [p.id, p.slug, p.date])).toEqual([
        [
          'https://signal-noise.example.com/p/ep-41-feeds-all-the-way-down',
          'ep-41-feeds-all-the-way-down',
          '2026-02-24T07:00:00.000Z',
        ],
        [
          'https://signal-noise.example.com/p/the-case-for-slow-email',
          'the-case-for-slow-email',
          '2026-02-14T12:00:00.000Z',
        ],
        [
          'https://signal-noise.example.com/p/bonus-new-studio',
          'bonus-new-studio',
          '2026-02-10T07:00:00.000Z',
        ],
      ]);
      expect(episode?.title).toBe('Ep. 41: Feeds all the way down, with Priya Natarajan');
      expect(episode?.authors).toEqual(['Ada Lindqvist']);
      expect(episode?.subtitle).toBe(
        'How podcast feeds quietly kept RSS alive, and what a feed can teach a newsletter.',
      );
    });

    it('turns the YouTube embed into a card and the audio enclosure into a media item with its duration', () => {
      expect(episode?.bodyHtml).toContain('<div class="tidings-media" data-media-index="0"></div>');
      expect(episode?.bodyHtml).not.toMatch(/<iframe|youtube-nocookie/);
      expect(episode?.media).toEqual([
        {
          kind: 'video',
          provider: 'youtube',
          url: 'https://www.youtube.com/watch?v=ScMzIvxBSi4',
          image: 'https://img.youtube.com/vi/ScMzIvxBSi4/hqdefault.jpg',
        },
        {
          kind: 'audio',
          provider: 'enclosure',
          type: 'audio/mpeg',
          url: 'https://signal-noise.example.com/audio/ep-41-feeds-all-the-way-down.mp3',
          title: 'Ep. 41: Feeds all the way down, with Priya Natarajan',
          duration: 47 * 60 + 12,
          image: 'https://signal-noise.example.com/images/ep-41-art.jpg',
        },
      ]);
    });

    it('keeps the heading, list items, captioned image, quote, comment button and footnote; drops the widget', () => {
      const html = episode?.bodyHtml ?? '';

      expect(html).toContain('<h2>What we talked about</h2>');
      expect(html).toContain('<li><p>Conditional GET, ETags, and being a polite poller</p></li>');
      expect(html).toContain('<figcaption>Priya in the studio.');
      expect(html).toContain('<blockquote><p>A feed is a promise');
      expect(html).toContain(
        '<a class="tidings-button" href="https://signal-noise.example.com/p/ep-41-feeds-all-the-way-down/comments">Leave a comment</a>',
      );
      expect(html).toContain(
        '<li class="footnote-item" id="footnote-1"><p>The enclosure element has been part of RSS',
      );
      expect(html).not.toMatch(/subscription-widget|<form|<input|<svg/);
      expect(episode?.warnings.map((w) => w.code)).toEqual(['DROPPED_SUBSCRIBE_WIDGET']);
    });

    it('cuts the paid post at the paywall, links the embedded post, and takes the image enclosure as the cover', () => {
      expect(paid?.bodyHtml).not.toContain('paying subscribers only');
      expect(paid?.bodyHtml).toMatch(/Continue reading<\/a><\/p>$/);
      expect(paid?.bodyHtml).toContain(
        '<p><a href="https://signal-noise.example.com/p/the-order-things-were-written-in">The order things were written in</a></p>',
      );
      expect(paid?.cover).toEqual({
        url: 'https://signal-noise.example.com/images/slow-email-cover.jpg',
        alt: '',
      });
      expect(paid?.media.map((m) => [m.provider, m.title])).toEqual([
        ['spotify', 'Ep. 38: Less, but better'],
      ]);
      expect(paid?.warnings.map((w) => w.code)).toEqual(['PAYWALL_CUT', 'IMAGE_NO_ALT']);
    });

    it('resolves relative links against the item link and reads a duration given in seconds', () => {
      expect(bonus?.bodyHtml).toContain('href="https://signal-noise.example.com/about"');
      expect(bonus?.bodyHtml).toContain('src="https://signal-noise.example.com/images/studio-panels.jpg"');
      expect(bonus?.media.map((m) => [m.provider, m.duration])).toEqual([
        ['substack-video', undefined],
        ['enclosure', 754],
      ]);
    });
  });

  it('reads the Atom example: html, xhtml and summary-only entries, an enclosure link and an html title', () => {
    const [list, note, postcard] = parse('examples/feeds/atom.xml');

    expect(list?.id).toBe('tag:signal-noise.example.com,2026-03-02:/notes/reading-list-march/');
    expect(list?.url).toBe('https://signal-noise.example.com/notes/reading-list-march/');
    expect(list?.tags).toEqual(['reading', 'links']);
    expect(list?.bodyHtml).toContain('<h2>Essays</h2>');
    expect(list?.bodyHtml).toContain(
      'href="https://signal-noise.example.com/notes/the-order-things-were-written-in/"',
    );
    expect(list?.bodyHtml).toContain('width="600" height="338"');
    expect(list?.media.map((m) => m.provider)).toEqual(['vimeo', 'soundcloud']);
    expect(note?.title).toBe('Why we don’t use tracking pixels');
    expect(note?.bodyHtml).toContain(
      '<blockquote><p>If you want to know whether people read your newsletter, ask them.</p></blockquote>',
    );
    expect(postcard?.date).toBe('2026-02-18T20:30:00.000Z');
    expect(postcard?.bodyHtml).toBe('<p>Ninety seconds of rain on a tin roof, recorded between takes.</p>');
    expect(postcard?.media).toEqual([
      {
        kind: 'audio',
        provider: 'enclosure',
        type: 'audio/mpeg',
        url: 'https://signal-noise.example.com/audio/postcard-rain.mp3',
        title: 'The rain on the studio roof',
      },
    ]);
  });

  it('reads the JSON Feed example: attachments, text content, summary, image, authors and RTL text', () => {
    const [ep40, transcripts, ep39] = parse('examples/feeds/feed.json');

    expect(ep40?.excerpt).toBe(
      'Jonas Berg on designing emails that feel like letters, and why dark mode broke his favourite newsletter.',
    );
    expect(ep40?.cover?.url).toBe('https://signal-noise.example.com/images/ep-40-cover.jpg');
    expect(ep40?.tags).toEqual(['podcast', 'design', 'email']);
    expect(ep40?.media.map((m) => [m.provider, m.kind, m.duration])).toEqual([
      ['apple-podcasts', 'audio', undefined],
      ['enclosure', 'audio', 3190],
    ]);
    expect(ep40?.authors).toEqual(['Ada Lindqvist']);
    expect(transcripts?.authors).toEqual(['Ada Lindqvist', 'Sam Ortiz']);
    expect(transcripts?.bodyHtml).toBe(
      '<p>Every episode from now on comes with a full transcript on its page.</p>\n<p>They are written by a person, checked by another person, and published within a week of the episode. Thank you to everyone who asked for them.</p>',
    );
    expect(ep39?.title).toBe('Ep. 39: Archive fever — مع ليلى حداد');
    expect(ep39?.bodyHtml).toContain('<p dir="rtl" lang="ar">الأرشيف ذاكرة من لا ذاكرة له.</p>');
    expect(ep39?.bodyHtml).toContain('📚');
  });

  it('reads media:content, media:thumbnail, dc:creator and a description when there is no content:encoded', () => {
    const [post] = parseFeed(
      rss(
        '<item><title>Clip</title><link>https://blog.example.com/clip</link><dc:creator>Grace H</dc:creator><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;A &lt;a href="/more"&gt;clip&lt;/a&gt;&lt;/p&gt;</description><media:content url="https://cdn.example.com/clip.mp4" type="video/mp4" medium="video" duration="95"/><media:thumbnail url="https://cdn.example.com/clip.jpg"/></item>',
      ),
      { source: 'https://blog.example.com/feed' },
    );

    expect(post?.authors).toEqual(['Grace H']);
    expect(post?.bodyHtml).toBe('<p>A <a href="https://blog.example.com/more">clip</a></p>');
    expect(post?.cover?.url).toBe('https://cdn.example.com/clip.jpg');
    expect(post?.media).toEqual([
      {
        kind: 'video',
        provider: 'media-rss',
        type: 'video/mp4',
        url: 'https://cdn.example.com/clip.mp4',
        title: 'Clip',
        duration: 95,
        image: 'https://cdn.example.com/clip.jpg',
      },
    ]);
  });

  it('resolves relative links against the site of a feed read from a file', () => {
    const [withLink, withoutLink] = parseFeed(
      rss(
        '<item><title>A</title><guid>1</guid><link>/posts/a</link><description>&lt;a href="../b"&gt;b&lt;/a&gt;</description></item>' +
          '<item><title>C</title><guid>2</guid><description>&lt;img src="/x.png" alt="X"&gt;</description></item>',
      ),
      { source: 'feeds/local.xml' },
    );

    expect(withLink?.url).toBe('https://blog.example.com/posts/a');
    expect(withLink?.bodyHtml).toBe('<a href="https://blog.example.com/b">b</a>');
    expect(withoutLink?.url).toBe('https://blog.example.com/');
    expect(withoutLink?.bodyHtml).toContain('src="https://blog.example.com/x.png"');
    const noLink = (post: typeof withLink) => post?.warnings.filter((w) => w.code === 'ITEM_NO_LINK');
    expect(noLink(withLink)).toEqual([]);
    expect(noLink(withoutLink)).toEqual([
      {
        code: 'ITEM_NO_LINK',
        message: 'feeds/local.xml item 2 has no link; the email links to https://blog.example.com/ instead',
      },
    ]);
  });

  describe('an item with no link in a feed with no site link', () => {
    const bare = (items: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items}</channel></rss>`;
    const item =
      '<item><title>A</title><guid>a1</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>&lt;a href="/b"&gt;b&lt;/a&gt;</description></item>';

    it('points at the configured site, never at a made-up host, and says so', () => {
      const [post] = parseFeed(bare(item), {
        source: 'feeds/local.xml',
        siteUrl: 'https://site.example.org',
      });

      expect(post?.url).toBe('https://site.example.org/');
      expect(post?.bodyHtml).toBe('<a href="https://site.example.org/b">b</a>');
      expect(post?.warnings.map((w) => w.code)).toEqual(['ITEM_NO_LINK']);
      expect(JSON.stringify(post)).not.toContain('invalid');
    });

    it('prefers the configured site over the feed URL it was fetched from', () => {
      const [post] = parseFeed(bare(item), {
        source: 'https://site.example.org/feed.xml',
        siteUrl: 'https://site.example.org/',
      });

      expect(post?.url).toBe('https://site.example.org/');
    });

    it('falls back to the feed URL when there is no configured site', () => {
      const [post] = parseFeed(bare(item), { source: 'https://site.example.org/feed.xml' });

      expect(post?.url).toBe('https://site.example.org/feed.xml');
      expect(post?.warnings.map((w) => w.code)).toEqual(['ITEM_NO_LINK']);
    });

    it('refuses with one line when nothing is known to link to', () => {
      expect(errorOf(bare(item), 'feeds/local.xml')).toBe(
        'feeds/local.xml item 1 has no link and the feed has no site link; add <link> to the item or the channel, or set site.url in the config',
      );
    });
  });

  it('uses the link as the id when there is no guid', () => {
    const [post] = parseFeed(rss('<item><title>A</title><link>https://blog.example.com/a</link></item>'), {
      source: 'f',
    });

    expect(post?.id).toBe('https://blog.example.com/a');
  });

  it('turns CR/LF in an item title into a space and keeps emoji', () => {
    const [post] = parseFeed(
      rss('<item><title>Hello&#13;&#10;Bcc: x@example.com 🎉</title><guid>1</guid></item>'),
      { source: 'f' },
    );

    expect(post?.title).toBe('Hello Bcc: x@example.com 🎉');
  });

  it('sanitizes a hostile item', () => {
    const [post] = parseFeed(
      rss(
        '<item><title>x</title><guid>1</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><content:encoded><![CDATA[<p onmouseover="x()">Hi<script>alert(1)</script><a href="javascript:alert(2)">link</a><iframe src="https://evil.example/"></iframe><img src="x.png" onerror="alert(3)"></p>]]></content:encoded></item>',
      ),
      { source: 'f' },
    );

    expect(post?.bodyHtml).not.toMatch(/<script|<iframe|\son\w+=|javascript:/i);
    expect(post?.warnings.map((w) => w.code).sort()).toEqual([
      'DROPPED_EVENT_HANDLER',
      'DROPPED_IFRAME',
      'DROPPED_SCRIPT',
      'IMAGE_NO_ALT',
      'ITEM_NO_LINK',
      'UNSAFE_URL',
    ]);
  });

  it('gives an item without title or date a stand-in and says so', () => {
    const [post] = parseFeed(
      rss('<item><guid>n1</guid><description>Just a thought about feeds.</description></item>'),
      {
        source: 'f',
      },
    );

    expect(post?.title).toBe('Just a thought about feeds.');
    expect(post?.date).toBe('1970-01-01T00:00:00.000Z');
    expect(post?.warnings.map((w) => w.code)).toEqual(['ITEM_NO_LINK', 'ITEM_NO_TITLE', 'ITEM_NO_DATE']);
  });

  it('changes the content hash when an item is edited, and only then', () => {
    const item = (body: string) =>
      rss(`<item><title>A</title><guid>1</guid><description>${body}</description></item>`);
    const first = parseFeed(item('Hello'), { source: 'f' })[0]?.contentHash;

    expect(parseFeed(item('Hello'), { source: 'f' })[0]?.contentHash).toBe(first);
    expect(parseFeed(item('Hello, edited'), { source: 'f' })[0]?.contentHash).not.toBe(first);
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  describe('rejects what is not a feed with one line naming the source', () => {
    it('an XML error, with its line', () => {
      expect(errorOf(read('test/fixtures/posts/broken.xml'), 'test/fixtures/posts/broken.xml')).toBe(
        "test/fixtures/posts/broken.xml: XML error at line 8, column 5: Expected closing tag 'item' (opened in line 5, col 5) instead of closing tag 'itme'.",
      );
    });

    it('an HTML page', () => {
      expect(errorOf(read('test/fixtures/posts/not-a-feed.html'), 'https://x.example/')).toBe(
        'https://x.example/: not a feed (it is an HTML page); expected RSS 2.0, Atom 1.0 or JSON Feed 1.1',
      );
    });

    it('plain text', () => {
      expect(errorOf('hello world')).toBe(
        'feeds/bad: not a feed (it is neither XML nor JSON); expected RSS 2.0, Atom 1.0 or JSON Feed 1.1',
      );
    });

    it('JSON that is not a JSON Feed', () => {
      expect(errorOf(read('test/fixtures/posts/not-a-json-feed.json'))).toBe(
        'feeds/bad: JSON, but not a JSON Feed: it needs "version": "https://jsonfeed.org/version/1.1" and "items"',
      );
    });

    it('broken JSON', () => {
      expect(errorOf('{"version": ')).toMatch(/^feeds\/bad: not valid JSON: .+$/);
    });

    it('a truncated feed', () => {
      expect(errorOf('<rss version="2.0"><channel><title>x</title>\n<item><title>cut off')).toMatch(
        /^feeds\/bad: XML error at line \d+, column \d+: .+$/,
      );
    });
  });
});
