import { readFileSync } from 'node:fs';
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../../../functions/adapters/fs/archive-templates.ts';
import { type ArchiveBuild, buildArchive } from '../../../../functions/core/archive/build.ts';
import type { ArchiveTemplates } from '../../../../functions/core/archive/pages.ts';
import { archiveSite } from '../../../../functions/core/archive/site.ts';
import { translator } from '../../../../functions/core/i18n/translator.ts';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { withPodcastFiles } from '../../../../functions/use-cases/podcast-files.ts';
import { englishChromeIn } from '../../../helpers/english-chrome.ts';
import {
  anExampleConfig,
  anExampleConfigIn,
  anExampleConfigWithLanguages,
} from '../../../helpers/factories.ts';

let templates: ArchiveTemplates;
let episode: Post;

beforeAll(async () => {
  templates = await loadArchiveTemplates();
  const [post] = parseFeed(readFileSync('examples/feeds/podcast.xml', 'utf8'), {
    source: 'https://signal-noise.example.com/podcast.xml',
  });
  episode = await withPodcastFiles(post as Post, async (url) => {
    if (url.endsWith('.json')) return readFileSync('examples/feeds/podcast-chapters.json', 'utf8');
    if (url.endsWith('.vtt')) return readFileSync('examples/feeds/podcast-transcript.vtt', 'utf8');
    return undefined;
  });
});

const file = (b: ArchiveBuild, path: string) => b.files.find((f) => f.path === path)?.body ?? '';
/** A page's words: its text and the labels of its controls. */
const words = (html: string) => {
  const $ = load(html);
  $('style, script').remove();
  const labels = $('[aria-label], [alt], [title]')
    .map((_, el) => [$(el).attr('aria-label'), $(el).attr('alt'), $(el).attr('title')].join(' '))
    .get();
  return `${$('body').text()} ${$('title').text()} ${labels.join(' ')}`;
};

describe('the archive in the first list’s language', () => {
  it.each([['ar'], ['zh-CN']])('%s: the index and the episode page keep no English chrome', (language) => {
    // Prepare: the English chrome of the same pages, from the English catalogue.
    const english = buildArchive([episode], archiveSite(anExampleConfig()), templates);
    const pages = (b: ArchiveBuild) => [file(b, 'index.html'), file(b, `${episode.slug}/index.html`)];
    const chrome = englishChromeIn(pages(english).map(words).join('\n'), JSON.stringify(episode), language);
    expect(chrome).toEqual(
      expect.arrayContaining(['Get new posts by email', 'Chapters', 'Skip to the content']),
    );

    // Act
    const build = buildArchive([episode], archiveSite(anExampleConfigIn(language)), templates);

    // Assess
    const i18n = translator(language);
    for (const page of pages(build)) {
      const text = words(page);
      for (const fragment of chrome) expect(text, fragment).not.toMatch(new RegExp(`\\b${fragment}\\b`));
      expect(text).toContain(i18n.t('archive.subscribeHeading'));
      expect(load(page)('html').attr('lang')).toBe(i18n.language);
      expect(load(page)('html').attr('dir')).toBe(i18n.dir);
    }
    expect(words(file(build, `${episode.slug}/index.html`))).toContain(i18n.date(episode.date));
  });

  it('sets dir="rtl" on every Arabic page', () => {
    const build = buildArchive([episode], archiveSite(anExampleConfigIn('ar')), templates);
    const html = build.files.filter((f) => f.path.endsWith('.html'));
    expect(html.length).toBeGreaterThanOrEqual(2);
    for (const f of html) expect(load(f.body)('html').attr('dir'), f.path).toBe('rtl');
  });
});

describe('the archive of lists in different languages', () => {
  it('writes each post’s page in its first list’s language, and the index in the first list’s', () => {
    // Prepare: the podcast list (first) in English, the essays list in Arabic.
    const config = anExampleConfigWithLanguages({ essays: 'ar' });
    const arabic = { ...episode, id: 'ar-ep', slug: 'ar-ep', lists: ['essays'] };
    const english = { ...episode, id: 'en-ep', slug: 'en-ep', lists: ['podcast', 'essays'] };
    const chrome = englishChromeIn(
      words(file(buildArchive([english], archiveSite(anExampleConfig()), templates), 'en-ep/index.html')),
      JSON.stringify(episode),
      'ar',
    );
    expect(chrome).toEqual(expect.arrayContaining(['Get new posts by email', 'Chapters']));

    // Act
    const build = buildArchive([arabic, english], archiveSite(config), templates);

    // Assess: the Arabic post's page is Arabic, right to left, with no English chrome.
    const ar = load(file(build, 'ar-ep/index.html'));
    expect(ar('html').attr('lang')).toBe('ar');
    expect(ar('html').attr('dir')).toBe('rtl');
    const arText = words(file(build, 'ar-ep/index.html'));
    for (const fragment of chrome) expect(arText, fragment).not.toMatch(new RegExp(`\\b${fragment}\\b`));
    expect(arText).toContain(translator('ar').t('archive.subscribeHeading'));
    // The post sent to the English list first stays English, and so does the index (the first list's).
    for (const path of ['en-ep/index.html', 'index.html']) {
      const $ = load(file(build, path));
      expect($('html').attr('lang'), path).toBe('en');
      expect($('html').attr('dir'), path).toBe('ltr');
      expect(words(file(build, path)), path).toContain('Get new posts by email');
    }
  });
});
