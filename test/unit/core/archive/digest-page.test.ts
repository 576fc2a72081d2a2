// A digest's page in the web archive: where its email's "View in browser" goes. It lists exactly the
// digest's posts, each linked to its own page, in the digest list's language, with the same head as every
// archive page and nothing about a reader.
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../../../functions/adapters/fs/archive-templates.ts';
import { digestPageFile } from '../../../../functions/core/archive/build.ts';
import type { ArchiveTemplates } from '../../../../functions/core/archive/pages.ts';
import { archiveSite } from '../../../../functions/core/archive/site.ts';
import { translator } from '../../../../functions/core/i18n/translator.ts';
import { anExampleConfig, anExampleConfigWithLanguages, aPost } from '../../../helpers/factories.ts';

let templates: ArchiveTemplates;
beforeAll(async () => {
  templates = await loadArchiveTemplates();
});

const posts = [
  aPost({
    id: 'essay-b',
    slug: 'essay-b',
    title: 'The second essay',
    subtitle: 'On small things',
    date: '2026-11-29T08:00:00.000Z',
    cover: { url: 'https://cdn.example.com/b.jpg', alt: 'A lamp' },
    lists: ['essays'],
  }),
  aPost({ id: 'essay-a', slug: 'essay-a', title: 'The first essay', lists: ['essays'] }),
];
const digest = {
  editionId: 'essays-weekly-3f9a1c2b7d4e',
  listId: 'essays',
  date: '2026-12-01T08:00:00.000Z',
  posts,
};

describe('digestPageFile', () => {
  it('lists exactly the digest’s posts, in order, each linked to its page, under digests/<edition>/', () => {
    // Act
    const file = digestPageFile(digest, archiveSite(anExampleConfig()), templates);

    // Assess
    const site = archiveSite(anExampleConfig());
    expect(file.path).toBe('digests/essays-weekly-3f9a1c2b7d4e/index.html');
    const $ = load(file.body);
    const entries = $('.posts li')
      .map((_, li) => ({
        title: $(li).find('h2').text(),
        href: $(li).find('h2 a').attr('href'),
        date: $(li).find('time').attr('datetime'),
      }))
      .get();
    expect(entries).toEqual([
      { title: 'The second essay', href: `${site.archiveUrl}/essay-b/`, date: '2026-11-29T08:00:00.000Z' },
      { title: 'The first essay', href: `${site.archiveUrl}/essay-a/`, date: posts[1]?.date },
    ]);
    expect($('.posts li').first().text()).toContain('On small things');
    expect($('.posts li img.thumb').attr('src')).toBe('https://cdn.example.com/b.jpg');
    // The head every archive page has: canonical, description, Open Graph, a subscribe form for the list.
    const url = `${site.archiveUrl}/digests/essays-weekly-3f9a1c2b7d4e/`;
    expect($('link[rel=canonical]').attr('href')).toBe(url);
    expect($('meta[property="og:url"]').attr('content')).toBe(url);
    expect($('meta[name=description]').attr('content')).toContain('The second essay');
    expect($('meta[property="og:image"]').attr('content')).toBe('https://cdn.example.com/b.jpg');
    expect($('title').text()).toContain('December 1, 2026');
    expect($('html').attr('lang')).toBe('en');
    expect($('form[action$="/subscribe"] input[name=list]').attr('value')).toBe('essays');
    // Nothing about a reader.
    expect(file.body).not.toMatch(/token=|unsubscribe\?|preferences\?|\{\{/i);
  });

  it('leaves out a post kept off the web (archive: false)', () => {
    const hidden = aPost({ id: 'private', slug: 'private', title: 'Not for the web', archive: false });
    const file = digestPageFile(
      { ...digest, posts: [...posts, hidden] },
      archiveSite(anExampleConfig()),
      templates,
    );
    expect(load(file.body)('.posts h2').length).toBe(2);
    expect(file.body).not.toContain('Not for the web');
  });

  it('speaks the digest list’s language: an Arabic list’s page is right to left, in Arabic', () => {
    // Act: the first list (podcast) is English, the essays list Arabic.
    const file = digestPageFile(
      digest,
      archiveSite(anExampleConfigWithLanguages({ essays: 'ar' })),
      templates,
    );

    // Assess
    const $ = load(file.body);
    const ar = translator('ar');
    expect($('html').attr('lang')).toBe('ar');
    expect($('html').attr('dir')).toBe('rtl');
    expect($('h1').text()).toContain(ar.date(digest.date));
    expect($('#subscribe-heading').text()).toBe(ar.t('archive.subscribeHeading'));
    expect($('body').text()).not.toMatch(/Get new posts by email|All posts|Skip to the content/);
  });
});
