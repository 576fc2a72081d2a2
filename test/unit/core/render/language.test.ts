import { readFileSync } from 'node:fs';
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import { translator } from '../../../../functions/core/i18n/translator.ts';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { renderMjmlTemplate } from '../../../../functions/core/render/render-mjml.ts';
import { withPodcastFiles } from '../../../../functions/use-cases/podcast-files.ts';
import { englishChromeIn } from '../../../helpers/english-chrome.ts';
import { anEmailFor, anExampleConfig, anExampleConfigIn } from '../../../helpers/factories.ts';

/** The seed-like podcast episode: season, number, guests, chapters and a transcript (examples/feeds). */
async function episode(): Promise<Post> {
  const [post] = parseFeed(readFileSync('examples/feeds/podcast.xml', 'utf8'), {
    source: 'https://signal-noise.example.com/podcast.xml',
  });
  return withPodcastFiles(post as Post, async (url) =>
    url.endsWith('.json') ? readFileSync('examples/feeds/podcast-chapters.json', 'utf8') : undefined,
  );
}

/** What a reader can see or hear of an HTML email: its text, and the alt, title and aria-label attributes. */
function visible(html: string): string {
  const $ = load(html);
  $('style, script, head').remove();
  const attributes = $('[alt], [title], [aria-label]')
    .map((_, el) =>
      [$(el).attr('alt'), $(el).attr('title'), $(el).attr('aria-label')].filter(Boolean).join(' '),
    )
    .get();
  return `${$('body').text()} ${attributes.join(' ')}`;
}

type Email = Awaited<ReturnType<typeof anEmailFor>>;

describe('an email in the list’s language', () => {
  let post: Post;
  let english: Email;
  let content: string;
  beforeAll(async () => {
    post = await episode();
    english = await anEmailFor([post], 'post');
    // Everything the post itself says: its words are the author's, in whatever language they wrote.
    content = JSON.stringify(post);
  });

  it.each([
    ['ar', 'Arabic'],
    ['zh-CN', 'Chinese'],
  ])(
    '%s: no English chrome left in the html or the text part of the podcast episode (%s)',
    async (language) => {
      // Prepare: the English chrome of this very email, from the English catalogue.
      const chrome = [
        ...englishChromeIn(visible(String(english.mail.html)), content, language),
        ...englishChromeIn(String(english.mail.text).replace(/https?:\/\/\S+/g, ''), content, language),
      ];
      expect(chrome).toEqual(expect.arrayContaining(['View in browser', 'Chapters', 'Read the transcript']));
      expect(chrome.length).toBeGreaterThan(8);

      // Act
      const { mail } = await anEmailFor([post], 'post', anExampleConfigIn(language));

      // Assess
      const html = visible(String(mail.html));
      // Links are the reader's addresses, not words (".../unsubscribe?token=").
      const text = String(mail.text).replace(/https?:\/\/\S+/g, '');
      for (const fragment of chrome) {
        expect(html, `"${fragment}" in the html`).not.toMatch(new RegExp(`\\b${fragment}\\b`));
        expect(text, `"${fragment}" in the text part`).not.toMatch(new RegExp(`\\b${fragment}\\b`));
      }
      const words = translator(language);
      expect(html).toContain(words.t('email.viewInBrowser'));
      expect(html).toContain(words.t('podcast.chapters'));
      expect(html).toContain(words.t('email.greeting', { name: 'Rae Reader' }));
      expect(text).toContain(words.t('email.greeting', { name: 'Rae Reader' }));
      expect(html).toContain(words.date(post.date));
    },
  );

  it('sets dir="rtl" and the language on the Arabic email, and mirrors its sides', async () => {
    const { mail } = await anEmailFor([await episode()], 'post', anExampleConfigIn('ar'));
    const $ = load(String(mail.html));
    expect($('html').attr('lang')).toBe('ar');
    expect($('html').attr('dir')).toBe('rtl');
    // "View in browser" sits on the end side, which is the left in Arabic; the text aligns right.
    expect(
      $('a')
        .filter((_, a) => $(a).text() === 'اعرضها في المتصفح')
        .closest('td')
        .attr('align'),
    ).toBe('left');
    expect(String(mail.html)).toMatch(/text-align:right/);
    expect(String(mail.html)).not.toMatch(/border-left:4px solid/);
  });

  it('keeps the English email left to right', async () => {
    const $ = load(String(english.mail.html));
    expect($('html').attr('lang')).toBe('en');
    expect($('html').attr('dir')).toBe('ltr');
  });

  it('starts every line of the Arabic text part with a right-to-left mark, and no English one', async () => {
    const { mail } = await anEmailFor([await episode()], 'post', anExampleConfigIn('ar'));
    const lines = String(mail.text)
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.startsWith('\u200f'), line).toBe(true);
    expect(String(english.mail.text)).not.toContain('\u200f');
  });

  it('uses the author’s override instead of the catalogue', async () => {
    const config = anExampleConfigIn('ar', { ar: { 'email.viewInBrowser': 'افتح الرسالة في المتصفح' } });
    const { mail } = await anEmailFor([await episode()], 'post', config);
    expect(String(mail.html)).toContain('افتح الرسالة في المتصفح');
    expect(String(mail.html)).not.toContain('اعرضها في المتصفح');
  });

  it('translates the digest’s subject with its plural', async () => {
    const posts = [await episode(), { ...(await episode()), id: 'other', title: 'Another episode' }];
    const zh = await anEmailFor(posts, 'digest', anExampleConfigIn('zh-CN'));
    expect(zh.edition.subject).toBe('Signal & Noise 有 2 篇新文章');
    const en = await anEmailFor(posts, 'digest', anExampleConfig());
    expect(en.edition.subject).toBe('2 new posts from Signal & Noise');
  });
});

describe('the digest’s "more posts" line', () => {
  /** The digest template with a link to `count` more posts, in a language. */
  async function moreLine(language: string, count: number): Promise<string> {
    const templates = await loadTemplates();
    const config = anExampleConfig();
    const i18n = translator(language);
    const html = await renderMjmlTemplate(
      templates.digest,
      {
        site: config.site,
        list: config.lists[0],
        theme: templates.theme,
        i18n,
        lang: i18n.language,
        dir: i18n.dir,
        webUrl: config.site.url,
        slot: { greeting: 'g', email: 'e', unsubscribeUrl: 'https://u', preferencesUrl: 'https://p' },
        subject: 's',
        preheader: 'p',
        heading: 'h',
        posts: [],
        more: { count, url: config.site.url },
      },
      templates.partials,
    );
    return load(html)('body').text();
  }

  it.each([
    ['en', 1, '1 more post this time, too many for one email.'],
    ['en', 3, '3 more posts this time, too many for one email.'],
    ['ar', 1, 'منشور واحد آخر هذه المرة'],
    ['ar', 2, 'منشوران آخران هذه المرة'],
    ['ar', 3, '3 منشورات أخرى هذه المرة'],
    ['zh-CN', 3, '本期还有 3 篇文章'],
  ])('%s, %i more: "%s"', async (language, count, expected) => {
    expect(await moreLine(language, count)).toContain(expected);
  });
});
