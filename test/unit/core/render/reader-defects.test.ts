import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import type { Media, Post } from '../../../../functions/core/posts/post.ts';
import { COLUMN_WIDTH } from '../../../../functions/core/render/images.ts';
import { renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { anExampleConfig, aPost } from '../../../helpers/factories.ts';

// Issue 10: what a reader sees in clients other than Chromium with images on.

const config = anExampleConfig();
const list = config.lists[0] ?? (undefined as never);

async function render(
  posts: Post[],
  kind: 'post' | 'digest' = 'post',
  imageSizes?: Map<string, { width: number; height: number }>,
) {
  return renderEdition({
    kind,
    posts,
    list,
    config,
    templates: await loadTemplates(),
    editionId: 'podcast:post:defects',
    now: new Date('2026-11-29T08:00:00Z'),
    ...(imageSizes ? { imageSizes } : {}),
  });
}

const enclosure: Media = {
  kind: 'audio',
  provider: 'enclosure',
  url: 'https://signal-noise.example.com/audio/ep-43.mp3',
  title: 'Ep. 43: Wide images',
  duration: 2832,
};
const spotify: Media = {
  kind: 'audio',
  provider: 'spotify',
  url: 'https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk',
};
const youtube: Media = {
  kind: 'video',
  provider: 'youtube',
  url: 'https://www.youtube.com/watch?v=M7lc1UVf-VE',
  image: 'https://img.youtube.com/vi/M7lc1UVf-VE/hqdefault.jpg',
};

describe('body images (defect 1)', () => {
  it('gives every body image a numeric width within the column and a height from its real ratio', async () => {
    // Prepare
    const post = aPost({
      media: [],
      bodyHtml:
        '<p><img src="https://cdn.example/wide.jpg" alt="Wide" width="600" height="336"></p>' +
        '<p><img src="https://cdn.example/unknown.jpg" alt="Unknown" width="600"></p>' +
        '<p><img src="https://cdn.example/small.png" alt="Small" width="120" height="40"></p>',
    });
    const sizes = new Map([['https://cdn.example/unknown.jpg', { width: 1456, height: 816 }]]);
    // Act
    const $ = load((await render([post], 'post', sizes)).html);
    // Assess
    const images = $('.t-body img')
      .toArray()
      .map((img) => [$(img).attr('alt'), $(img).attr('width'), $(img).attr('height')]);
    expect(images).toEqual([
      ['Wide', String(COLUMN_WIDTH), '309'],
      ['Unknown', String(COLUMN_WIDTH), '309'],
      ['Small', '120', '40'],
    ]);
  });

  it('never writes height="auto" or a width over the column on a body or card image', async () => {
    // Act
    const $ = load((await render([aPost({ media: [youtube, enclosure] })])).html);
    // Assess
    for (const img of $('img').toArray()) {
      expect($(img).attr('width')).toMatch(/^\d+$/);
      expect(Number($(img).attr('width'))).toBeLessThanOrEqual(600);
      if ($(img).closest('.t-body').length)
        expect(Number($(img).attr('width'))).toBeLessThanOrEqual(COLUMN_WIDTH);
      // The cover is MJML's mj-image, full width (600 of 600), with MJML's own height="auto".
      if ($(img).closest('.t-body').length) expect($(img).attr('height') ?? '').not.toBe('auto');
    }
  });

  it('gives the cover a numeric height once its size is measured', async () => {
    // Prepare
    const post = aPost();
    const cover = post.cover?.url ?? '';
    // Act
    const measured = load(
      (await render([post], 'post', new Map([[cover, { width: 1200, height: 675 }]]))).html,
    );
    // Assess
    expect(measured(`img[src="${cover}"]`).attr('height')).toBe('338');
    expect(measured(`img[src="${cover}"]`).attr('width')).toBe('600');
  });
});

describe('buttons (defect 4)', () => {
  it('draws every padded button on a table cell with bgcolor and padding, as Outlook needs', async () => {
    // Prepare
    const post = aPost({
      media: [enclosure, spotify, youtube],
      bodyHtml:
        '<p>Text</p><p class="tidings-button-row"><a class="tidings-button" href="https://signal-noise.example.com/p/x?action=share">Share</a></p>',
    });
    // Act
    const html = [
      (await render([post])).html,
      (await render([post, aPost({ id: 'b', url: 'https://signal-noise.example.com/p/b' })], 'digest')).html,
    ];
    // Assess
    for (const page of html) {
      const $ = load(page);
      const padded = $('a[style*="padding"]').toArray();
      for (const a of padded) {
        const cell = $(a).closest('td');
        expect(cell.attr('bgcolor'), $(a).text()).toMatch(/^#/);
        expect(cell.attr('style') ?? '').toMatch(/padding/);
      }
      const buttons = $('a.tidings-button').toArray();
      expect(buttons.length).toBeGreaterThan(0);
      for (const a of buttons) {
        expect($(a).closest('td').attr('bgcolor'), $(a).text()).toBe(config.site.brandColor);
        expect($(a).closest('td').attr('style')).toMatch(/padding:\s*\d/);
      }
    }
  });
});

describe('the video card (defect 2)', () => {
  it('is one link over a 16:9 picture, with the cover not repeated, and VML at 16:9', async () => {
    // Prepare
    const post = aPost({ media: [youtube] });
    // Act
    const edition = await render([post]);
    const $ = load(edition.html);
    // Assess
    const link = $('.tidings-card-video a.tidings-video-link');
    expect(link.attr('href')).toBe(youtube.url);
    const frame = link.find('td.tidings-video-frame');
    expect(frame.attr('height')).toBe(String(Math.round((COLUMN_WIDTH * 9) / 16)));
    expect(frame.attr('style')).toContain('background-size:cover');
    expect(link.find('.tidings-play').text()).toContain('Play video');
    expect(edition.html).toMatch(/<v:rect[^>]*style="width:552px;height:311px;"/);
    expect(edition.html).toContain('aspect="atleast"');
    expect(edition.html).toMatch(/padding-top:128px/);
  });

  it('uses YouTube 16:9 maxresdefault when it exists, else the 4:3 thumbnail cropped by cover', async () => {
    // Prepare
    const post = aPost({ media: [youtube] });
    const maxres = 'https://i.ytimg.com/vi/M7lc1UVf-VE/maxresdefault.jpg';
    // Act
    const withMaxres = await render([post], 'post', new Map([[maxres, { width: 1280, height: 720 }]]));
    const placeholder = await render([post], 'post', new Map([[maxres, { width: 120, height: 90 }]]));
    // Assess
    expect(load(withMaxres.html)('.tidings-video-frame').attr('background')).toBe(maxres);
    expect(load(placeholder.html)('.tidings-video-frame').attr('background')).toBe(youtube.image);
  });

  it('does not stand the cover in for a card with no picture of its own', async () => {
    // Prepare
    const post = aPost({
      media: [{ ...enclosure }, { kind: 'video', url: 'https://vimeo.com/1', provider: 'vimeo' }],
    });
    // Act
    const html = (await render([post])).html;
    // Assess
    const cover = post.cover?.url ?? '';
    expect(cover).not.toBe('');
    expect(html.split(cover).length - 1).toBe(
      1 + (html.match(/<v:fill[^>]*>/g) ?? []).filter((f) => f.includes(cover)).length,
    );
    expect(load(html)('.tidings-card').find(`[src="${cover}"], [background="${cover}"]`)).toHaveLength(0);
  });
});

describe('listen cards (defect 3)', () => {
  it('merges a Spotify embed of the episode into its card and names the platform', async () => {
    // Prepare
    const post = aPost({ media: [enclosure, spotify] });
    // Act
    const $ = load((await render([post])).html);
    // Assess
    expect($('.tidings-card-audio')).toHaveLength(1);
    expect(
      $('.tidings-card-audio a.tidings-button')
        .toArray()
        .map((a) => [$(a).text(), $(a).attr('href')]),
    ).toEqual([
      ['▶ Listen', enclosure.url],
      ['▶ Listen on Spotify', spotify.url],
    ]);
  });

  it('keeps a Spotify embed of another episode as its own card, named', async () => {
    // Prepare
    const post = aPost({ media: [enclosure, { ...spotify, title: 'Ep. 38: Less, but better' }] });
    // Act
    const $ = load((await render([post])).html);
    // Assess
    expect($('.tidings-card-audio')).toHaveLength(2);
    expect($('.tidings-card-audio').last().text()).toContain('Listen on Spotify');
  });

  it('keeps the listen link and the duration in the digest', async () => {
    // Prepare
    const post = aPost({ media: [spotify, enclosure] });
    // Act
    const $ = load((await render([post, aPost({ id: 'b', media: [] })], 'digest')).html);
    // Assess
    const listen = $(`a[href="${enclosure.url}"]`);
    expect(listen.text()).toBe('Listen (47:12)');
  });
});

describe('inbox preview and small things (defects 5, 6)', () => {
  it('pads the preheader with zero-width spacers', async () => {
    const $ = load((await render([aPost()])).html);
    expect($('.tidings-preheader-spacer').text()).toMatch(/^(\u034f\u200c\u00a0){50,}$/);
  });

  it('leaves the greeting out when the post opens with its own', async () => {
    const own = await render([aPost({ bodyHtml: '<p>Hi all, welcome back.</p><p>More.</p>' })]);
    const plain = await render([aPost({ bodyHtml: '<p>Welcome back.</p>' })]);
    expect(own.html).not.toContain('{{greeting}}');
    expect(plain.html).toContain('{{greeting}}');
  });

  it('does not skip heading levels after the title', async () => {
    const $ = load(
      (await render([aPost({ bodyHtml: '<h3>Notes</h3><p>a</p><h1>Big</h1><h4>Deep</h4>' })])).html,
    );
    expect(
      $('h1, h2, h3, h4, h5, h6')
        .toArray()
        .map((h) => (h as { tagName: string }).tagName),
    ).toEqual(['h1', 'h2', 'h2', 'h3']);
  });

  it('names the site in the logo alt and the post in each "Read more"', async () => {
    const posts = [
      aPost({ id: 'a', title: 'One' }),
      aPost({ id: 'b', title: 'Two', url: 'https://signal-noise.example.com/p/two' }),
    ];
    const $ = load((await render(posts, 'digest')).html);
    expect($('.t-header img').attr('alt')).toBe(config.site.name);
    expect(
      $('a.tidings-button')
        .toArray()
        .map((a) => $(a).attr('aria-label')),
    ).toEqual(['Read more: One', 'Read more: Two']);
  });

  it('marks headings in the text part and prints the video link once', async () => {
    const edition = await render([aPost({ media: [youtube], bodyHtml: '<h2>Highlights</h2><p>a</p>' })]);
    expect(edition.text).toMatch(/^## Highlights$/m);
    expect(edition.text).toMatch(/^# /m);
    expect(edition.text.split(youtube.url).length - 1).toBe(1);
  });
});
