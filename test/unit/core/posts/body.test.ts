import { describe, expect, it } from 'vitest';
import { excerptFromHtml, normalizeBody } from '../../../../functions/core/posts/body.ts';

const baseUrl = 'https://signal-noise.example.com/p/a-post';
const normalize = (html: string) => normalizeBody(html, { baseUrl });
const codes = (html: string) => normalize(html).warnings.map((w) => w.code);

describe('normalizeBody', () => {
  describe('removes what email must never carry', () => {
    it.each([
      ['a script', '<p>Hi</p><script>alert(1)</script>', 'DROPPED_SCRIPT', /<script|alert/],
      ['a style element', '<style>p{color:red}</style><p>Hi</p>', 'DROPPED_STYLE', /<style|color:red/],
      [
        'a form and its controls',
        '<form action="/x"><input name="e"><button>Go</button></form><p>Hi</p>',
        'DROPPED_FORM',
        /<form|<input|<button/,
      ],
      [
        'an unknown iframe',
        '<p>Hi</p><iframe src="https://ads.example.net/x"></iframe>',
        'DROPPED_IFRAME',
        /<iframe|ads\.example/,
      ],
      [
        'an object or embed',
        '<object data="x.swf"></object><embed src="y.swf"><p>Hi</p>',
        'DROPPED_IFRAME',
        /<object|<embed/,
      ],
      ['an event handler', '<p onclick="steal()">Hi</p>', 'DROPPED_EVENT_HANDLER', /onclick|steal/],
      ['a javascript: link', '<p><a href="javascript:alert(1)">Hi</a></p>', 'UNSAFE_URL', /javascript:/i],
      [
        'a javascript: link hidden with case and whitespace',
        '<p><a href=" JaVa\tScRiPt:alert(1)">Hi</a></p>',
        'UNSAFE_URL',
        /script:/i,
      ],
      ['a vbscript: link', '<p><a href="vbscript:msgbox(1)">Hi</a></p>', 'UNSAFE_URL', /vbscript/i],
      [
        'a data: image',
        '<p>Hi <img src="data:image/png;base64,iVBORw0KGgo=" alt="x"></p>',
        'UNSAFE_URL',
        /data:|<img/,
      ],
    ])('%s, with a warning', (_, html, code, forbidden) => {
      const out = normalize(html);

      expect(out.html).not.toMatch(forbidden);
      expect(out.html).toContain('Hi');
      expect(out.warnings.map((w) => w.code)).toContain(code);
    });

    it('drops tags outside the allowlist but keeps their text', () => {
      const out = normalize('<marquee>Breaking</marquee><p><font color="red">news</font></p>');

      expect(out.html).toBe('Breaking<p>news</p>');
    });

    it('does not trust placeholder markup that came with the post', () => {
      const out = normalize(
        '<div class="tidings-media" data-media-index="3">fake</div><a class="tidings-button" href="/x">x</a>',
      );

      expect(out.html).not.toContain('tidings-media');
      expect(out.html).not.toContain('data-media-index');
      expect(out.html).not.toContain('tidings-button');
      expect(out.media).toEqual([]);
    });
  });

  describe('makes URLs absolute', () => {
    it('resolves relative links and images against the post URL', () => {
      const out = normalize(
        '<p><a href="../about">About</a> <a href="#notes">notes</a><img src="/i/a.png" alt="A"></p>',
      );

      expect(out.html).toContain('href="https://signal-noise.example.com/about"');
      expect(out.html).toContain('href="https://signal-noise.example.com/p/a-post#notes"');
      expect(out.html).toContain('src="https://signal-noise.example.com/i/a.png"');
    });

    it('keeps mailto: links', () => {
      expect(normalize('<p><a href="mailto:hi@example.com">Write</a></p>').html).toContain(
        'href="mailto:hi@example.com"',
      );
    });
  });

  describe('images', () => {
    it('clamps a wide image to 600 px and keeps its aspect ratio', () => {
      const out = normalize(
        '<p><img src="/a.png" alt="A chart" width="1456" height="816" srcset="x 2x" loading="lazy"></p>',
      );

      expect(out.html).toBe(
        '<p><img src="https://signal-noise.example.com/a.png" alt="A chart" width="600" height="336" style="max-width:100%;height:auto" /></p>',
      );
    });

    it('keeps a small image at its size and gives an image of unknown size the column width', () => {
      expect(normalize('<img src="/s.png" alt="S" width="120" height="40">').html).toContain(
        'width="120" height="40"',
      );
      expect(normalize('<img src="/u.png" alt="U">').html).toContain(
        'width="600" style="max-width:100%;height:auto"',
      );
    });

    it('gives an image without alt an empty alt and warns', () => {
      const out = normalize('<p><img src="/a.png"><img src="/b.png" alt="  "></p>');

      expect(out.html.match(/alt=""/g)).toHaveLength(2);
      expect(out.warnings).toEqual([
        {
          code: 'IMAGE_NO_ALT',
          message:
            'an image has no alt text (https://signal-noise.example.com/a.png); add one for readers who cannot see it (and 1 more)',
        },
      ]);
    });
  });

  describe("Substack's markup", () => {
    it('turns a captioned image into a figure with its caption, without the link, picture or srcset', () => {
      const out = normalize(
        '<div class="captioned-image-container"><figure><a class="image-link image2" href="https://cdn.example/full.jpg"><div class="image2-inset"><picture><source type="image/webp" srcset="https://cdn.example/a.webp 424w"><img src="https://cdn.example/a.jpg" width="1200" height="600" alt="A desk" srcset="https://cdn.example/a.jpg 424w"></picture><div class="image-link-expand"><svg><path d="M0"/></svg></div></div></a><figcaption class="image-caption">A desk, a <em>window</em>.</figcaption></figure></div>',
      );

      expect(out.html).toBe(
        '<figure class="tidings-figure"><img src="https://cdn.example/a.jpg" alt="A desk" width="600" height="300" style="max-width:100%;height:auto" /><figcaption>A desk, a <em>window</em>.</figcaption></figure>',
      );
    });

    it('turns a button wrapper into a button row, and two buttons into one row', () => {
      const out = normalize(
        '<p class="button-wrapper" data-attrs="{}"><a class="button primary" href="/p/a-post/comments"><span>Leave a comment</span></a></p>' +
          '<p class="button-wrapper"><a class="button primary" href="/share"><span>Share</span></a><a class="button primary" href="/subscribe"><span>Subscribe</span></a></p>',
      );

      expect(out.html).toBe(
        '<p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/p/a-post/comments">Leave a comment</a></p>' +
          '<p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/share">Share</a><a class="tidings-button" href="https://signal-noise.example.com/subscribe">Subscribe</a></p>',
      );
    });

    it('keeps a button in the middle of a sentence as a plain link', () => {
      expect(normalize('<p>Go <a class="button" href="/x">there</a> now.</p>').html).toBe(
        '<p>Go <a href="https://signal-noise.example.com/x">there</a> now.</p>',
      );
    });

    it('drops the subscribe widget, with one warning per widget', () => {
      const out = normalize(
        '<p>Before</p><div class="subscription-widget-wrap-editor"><div class="subscription-widget show-subscribe"><div class="preamble"><p class="cta-caption">Subscribe for free</p></div><form class="subscription-widget-subscribe"><input type="email" name="email"><input type="submit" class="button primary" value="Subscribe"></form></div></div><p>After</p>',
      );

      expect(out.html).toBe('<p>Before</p><p>After</p>');
      expect(out.warnings).toEqual([
        { code: 'DROPPED_SUBSCRIBE_WIDGET', message: 'removed 1 subscribe widget from the body' },
      ]);
    });

    it('cuts the body at the paywall and ends it with "Continue reading" to the post', () => {
      const out = normalize(
        '<p>Free part.</p><div class="paywall-jump" data-component-name="PaywallToDOM"></div><p>Paid part.</p><div><p>More paid.</p></div>',
      );

      expect(out.html).toBe(
        '<p>Free part.</p><p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/p/a-post">Continue reading</a></p>',
      );
      expect(out.warnings.map((w) => w.code)).toEqual(['PAYWALL_CUT']);
    });

    it('cuts at a paywall nested in a wrapper, taking the rest of every level', () => {
      const out = normalize(
        '<div><p>Free</p><div class="paywall-jump"></div><p>Paid 1</p></div><p>Paid 2</p>',
      );

      expect(out.html).not.toContain('Paid');
      expect(out.html).toContain('Free');
      expect(out.html).toContain('Continue reading');
    });

    it('keeps footnotes, in the same shape as Markdown footnotes', () => {
      const out = normalize(
        '<p>Claim<a class="footnote-anchor" id="footnote-anchor-1" href="#footnote-1" target="_self">1</a>.</p><div class="footnote"><a id="footnote-1" href="#footnote-anchor-1" class="footnote-number" contenteditable="false">1</a><div class="footnote-content"><p>The source.</p></div></div>',
      );

      expect(out.html).toBe(
        '<p>Claim<sup class="footnote-ref"><a href="https://signal-noise.example.com/p/a-post#footnote-1" id="footnote-anchor-1">[1]</a></sup>.</p>' +
          '<hr class="footnotes-sep" /><section class="footnotes"><ol class="footnotes-list"><li class="footnote-item" id="footnote-1"><p>The source.</p><a class="footnote-backref" href="https://signal-noise.example.com/p/a-post#footnote-anchor-1">↩︎</a></li></ol></section>',
      );
    });

    it('turns a digest post embed into a link to that post', () => {
      const attrs = JSON.stringify({
        title: 'Older post',
        canonical_url: 'https://signal-noise.example.com/p/older',
      }).replace(/"/g, '&quot;');
      const out = normalize(`<div class="digest-post-embed" data-attrs="${attrs}"></div>`);

      expect(out.html).toBe('<p><a href="https://signal-noise.example.com/p/older">Older post</a></p>');
    });
  });

  describe('embeds become media placeholders', () => {
    it('replaces a YouTube wrapper and its iframe with one placeholder and a video with a thumbnail', () => {
      const out = normalize(
        '<p>Watch:</p><div id="youtube2-ScMzIvxBSi4" class="youtube-wrap" data-attrs="{&quot;videoId&quot;:&quot;ScMzIvxBSi4&quot;}"><div class="youtube-inner"><iframe src="https://www.youtube-nocookie.com/embed/ScMzIvxBSi4?rel=0&amp;autoplay=0" width="728" height="409"></iframe></div></div><p>After</p>',
      );

      expect(out.html).toBe(
        '<p>Watch:</p><div class="tidings-media" data-media-index="0"></div><p>After</p>',
      );
      expect(out.media).toEqual([
        {
          kind: 'video',
          provider: 'youtube',
          url: 'https://www.youtube.com/watch?v=ScMzIvxBSi4',
          image: 'https://img.youtube.com/vi/ScMzIvxBSi4/hqdefault.jpg',
        },
      ]);
      expect(out.warnings).toEqual([]);
    });

    it('numbers placeholders in document order across providers', () => {
      const out = normalize(
        '<iframe class="spotify-wrap" data-attrs="{&quot;title&quot;:&quot;Ep. 38&quot;}" src="https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk"></iframe>' +
          '<p><a href="https://vimeo.com/76979871">The talk</a></p>' +
          '<div class="native-video-embed" data-attrs="{&quot;mediaUploadId&quot;:&quot;abc&quot;,&quot;duration&quot;:93}"></div>' +
          '<p><a href="https://soundcloud.com/artist/track">https://soundcloud.com/artist/track</a></p>' +
          '<iframe src="https://embed.podcasts.apple.com/us/podcast/show/id150?i=1000650"></iframe>',
      );

      expect(out.html.match(/data-media-index="(\d)"/g)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `data-media-index="${i}"`),
      );
      expect(out.media.map((m) => [m.provider, m.kind, m.url, m.title])).toEqual([
        ['spotify', 'audio', 'https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk', 'Ep. 38'],
        ['vimeo', 'video', 'https://vimeo.com/76979871', 'The talk'],
        ['substack-video', 'video', baseUrl, 'Watch the video'],
        ['soundcloud', 'audio', 'https://soundcloud.com/artist/track', undefined],
        ['apple-podcasts', 'audio', 'https://podcasts.apple.com/us/podcast/show/id150?i=1000650', undefined],
      ]);
      expect(out.media[2]?.duration).toBe(93);
      expect(out.html).not.toContain('<iframe');
    });

    it('puts the card of an iframe that sat inside a paragraph right after that paragraph', () => {
      const out = normalize(
        '<p>Watch this: <iframe src="https://www.youtube.com/embed/ScMzIvxBSi4"></iframe> and enjoy.</p><p>Next</p>',
      );

      expect(out.html).toBe(
        '<p>Watch this:  and enjoy.</p><div class="tidings-media" data-media-index="0"></div><p>Next</p>',
      );
    });

    it('leaves a provider link inside a sentence as a link', () => {
      const out = normalize('<p>See <a href="https://youtu.be/ScMzIvxBSi4">this video</a> first.</p>');

      expect(out.media).toEqual([]);
      expect(out.html).toContain('<a href="https://youtu.be/ScMzIvxBSi4">this video</a>');
    });
  });

  it('keeps non-ASCII, emoji and right-to-left text', () => {
    const html = '<p dir="rtl" lang="ar">مرحبا بالعالم</p><p>Grüße aus Köln 🎉 — 東京</p>';

    expect(normalize(html).html).toBe(html);
  });

  it('warns about nothing in clean HTML', () => {
    expect(codes('<h2>Title</h2><ul><li>One</li></ul><blockquote><p>Quote</p></blockquote>')).toEqual([]);
  });
});

describe('excerptFromHtml', () => {
  it('takes the first real paragraph as text, skipping figures, buttons and footnote marks', () => {
    const html =
      '<figure class="tidings-figure"><img src="x" alt=""><figcaption>Caption</figcaption></figure><p class="tidings-button-row"><a class="tidings-button" href="x">Listen</a></p><p>The <em>first</em> line<sup class="footnote-ref"><a href="#fn1">[1]</a></sup>.</p><p>Second.</p>';

    expect(excerptFromHtml(html)).toBe('The first line.');
  });

  it('cuts a long paragraph at a word boundary within 300 characters', () => {
    const excerpt = excerptFromHtml(`<p>${'word '.repeat(100)}</p>`);

    expect(excerpt.length).toBeLessThanOrEqual(300);
    expect(excerpt).toMatch(/word…$/);
  });
});
