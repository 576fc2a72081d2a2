import { readFileSync } from 'node:fs';
import { load } from 'cheerio';
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed as parseAnyFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../../../functions/adapters/fs/archive-templates.ts';
import { loadPosts } from '../../../../functions/adapters/fs/post-source.ts';
import { type ArchiveBuild, buildArchive } from '../../../../functions/core/archive/build.ts';
import type { ArchiveTemplates } from '../../../../functions/core/archive/pages.ts';
import { type ArchiveSite, archiveSite, directionOf } from '../../../../functions/core/archive/site.ts';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import { parseMarkdownPost } from '../../../../functions/core/posts/markdown.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { withPodcastFiles } from '../../../../functions/use-cases/podcast-files.ts';
import { anExampleConfig, aPost } from '../../../helpers/factories.ts';

const config = anExampleConfig();
const site: ArchiveSite = archiveSite(config);
let templates: ArchiveTemplates;
let examples: Post[];
let build: ArchiveBuild;

const file = (b: ArchiveBuild, path: string) => {
  const found = b.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${b.files.map((f) => f.path).join(', ')}`);
  return found.body;
};
const md = (front: string, body = 'Hello.') =>
  parseMarkdownPost(`---\n${front}\n---\n${body}\n`, { path: 'posts/x.md', siteUrl: config.site.url });

beforeAll(async () => {
  templates = await loadArchiveTemplates();
  examples = [
    ...(await loadPosts('examples/posts', { siteUrl: config.site.url })),
    ...(await loadPosts('examples/feeds/substack.xml', { siteUrl: config.site.url })),
  ];
  build = buildArchive(examples, site, templates);
});

describe('buildArchive on the examples', () => {
  it('writes an index, one page per post, the feed and the sitemap', () => {
    const paths = build.files.map((f) => f.path);
    expect(paths).toContain('index.html');
    expect(paths).toContain('feed.xml');
    expect(paths).toContain('sitemap.xml');
    for (const post of build.posts) expect(paths).toContain(`${post.slug}/index.html`);
    expect(build.posts.length).toBeGreaterThanOrEqual(5);
    const dates = build.posts.map((p) => p.date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('gives each page its language, title, description, canonical URL, link previews and JSON-LD', () => {
    // Prepare: the Markdown episode has no url of its own; the Substack item links to the author's post
    const episode = examples.find((p) => p.slug === 'ep-42-the-quiet-web') as Post;
    const fromFeed = examples.find((p) => !p.urlFromSlug) as Post;

    // Act
    const $ = load(file(build, 'ep-42-the-quiet-web/index.html'));
    const $feed = load(file(build, `${fromFeed.slug}/index.html`));

    // Assess
    expect($('html').attr('lang')).toBe('en');
    expect($('html').attr('dir')).toBe('ltr');
    expect($('title').text()).toBe(`${episode.title} · Signal & Noise`);
    expect($('meta[name=description]').attr('content')).toBe(episode.subtitle);
    expect($('link[rel=canonical]').attr('href')).toBe(
      'https://news.signal-noise.example.com/archive/ep-42-the-quiet-web/',
    );
    expect($feed('link[rel=canonical]').attr('href')).toBe(fromFeed.url);
    expect($('meta[property="og:title"]').attr('content')).toBe(episode.title);
    expect($('meta[property="og:image"]').attr('content')).toBe(episode.cover?.url);
    expect($('meta[name="twitter:card"]').attr('content')).toBe('summary_large_image');
    const ld = JSON.parse($('script[type="application/ld+json"]').text()) as Record<string, unknown>;
    expect(ld).toMatchObject({ '@type': 'PodcastEpisode', name: episode.title, datePublished: episode.date });
    expect($('audio[controls]').attr('src')).toBe(
      episode.media.find((m) => m.provider === 'front-matter' || m.provider === 'enclosure')?.url,
    );
  });

  it('has a subscribe form that posts to the pages, with the post’s list chosen', () => {
    const $ = load(file(build, 'ep-42-the-quiet-web/index.html'));
    const form = $('form[method=post]');
    expect(form.attr('action')).toBe('https://news.signal-noise.example.com/subscribe');
    expect(form.find('input[type=email][name=email]').length).toBe(1);
    expect(
      form
        .find('input[type=hidden][name=list]')
        .map((_, el) => $(el).attr('value'))
        .get(),
    ).toEqual(['podcast']);
    expect(form.find('input[name=website]').length).toBe(1);
  });

  it('offers the time-zone box, hidden until its one script runs, only on the form of a list sent at local time', () => {
    const local = archiveSite({
      ...config,
      lists: config.lists.map((l) => (l.id === 'podcast' ? { ...l, deliverAt: '08:00' } : l)),
    });
    const posts = [
      aPost({ id: 'p', slug: 'p', lists: ['podcast'] }),
      aPost({ id: 'e', slug: 'e', lists: ['essays'] }),
    ];
    const built = buildArchive(posts, local, templates);
    const $ = load(file(built, 'p/index.html'));
    const row = $('form[method=post] #tz-choice');
    expect(row.attr('hidden')).toBeDefined();
    expect(row.find('input[type=checkbox][name=timeZone]').attr('value')).toBe('');
    expect(row.find('label[for=tz]').text()).toBe(
      "Send it at my local time (shares this browser's time zone)",
    );
    expect($('form[method=post] script').text()).toContain(
      'Intl.DateTimeFormat().resolvedOptions().timeZone',
    );
    const $essays = load(file(built, 'e/index.html'));
    expect($essays('#tz').length).toBe(0);
    expect($essays('script:not([type="application/ld+json"])').length).toBe(0);
    // The examples' site has no list sent at local time: none of its pages asks.
    for (const f of build.files.filter((x) => x.path.endsWith('.html')))
      expect(f.body).not.toContain('id="tz"');
  });

  it('never carries a token, an unsubscribe or preferences link, or a greeting', () => {
    for (const f of build.files.filter((x) => x.path.endsWith('.html') || x.path === 'feed.xml')) {
      expect(f.body, f.path).not.toMatch(
        /token=|\/unsubscribe|\/preferences|Hi Sample Reader|\{\{|tidings-slot/i,
      );
    }
  });

  it('plays YouTube only after a click, on youtube-nocookie.com', () => {
    const pages = build.files.filter((f) => f.path.endsWith('/index.html')).map((f) => load(f.body));
    const thumbs = pages.flatMap(($) =>
      $('a.video-thumb')
        .map((_, a) => $(a).attr('href'))
        .get(),
    );
    expect(thumbs.length).toBeGreaterThan(0);
    for (const href of thumbs)
      expect(href).toMatch(/^https:\/\/www\.youtube-nocookie\.com\/embed\/[\w-]+\?autoplay=1$/);
    for (const $ of pages) expect($('iframe').length).toBe(0);
  });

  it('writes an RSS 2.0 feed with each post whole in content:encoded, and a valid sitemap', () => {
    // Act
    const xml = file(build, 'feed.xml');
    const feed = parseAnyFeed(xml);
    const sitemap = file(build, 'sitemap.xml');

    // Assess
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(feed.format).toBe('rss');
    const items = (feed.feed as { items: { title?: string; content?: { encoded?: string } }[] }).items;
    expect(items.map((i) => i.title?.trim())).toEqual(build.posts.map((p) => p.title));
    expect(items.every((i) => (i.content?.encoded ?? '').length > 50)).toBe(true);
    expect(XMLValidator.validate(sitemap)).toBe(true);
    expect(load(sitemap, { xml: true })('url > loc').length).toBe(build.posts.length + 1);
  });
});

describe('an episode from a Podcasting 2.0 feed', () => {
  it('shows its number, its people, its chapters with their times, and a link to its transcript', async () => {
    // Prepare
    const [episode] = parseFeed(readFileSync('examples/feeds/podcast.xml', 'utf8'), {
      source: 'https://signal-noise.example.com/podcast.xml',
    });
    const files: Record<string, string> = {
      'https://signal-noise.example.com/chapters/ep-43.json': 'examples/feeds/podcast-chapters.json',
      'https://signal-noise.example.com/transcripts/ep-43.vtt': 'examples/feeds/podcast-transcript.vtt',
    };
    const chaptered = await withPodcastFiles(episode as Post, async (url) =>
      readFileSync(files[url] ?? '', 'utf8'),
    );

    // Act
    const $ = load(file(buildArchive([chaptered], site, templates), 'ep-43-owning-your-words/index.html'));

    // Assess
    expect($('.episode').text()).toBe('Season 2 (The open web) · Episode 43');
    expect(
      $('.people li')
        .map((_, li) => $(li).text())
        .get(),
    ).toEqual(['Ada Lindqvist Host', 'Jun Park Guest']);
    expect(
      $('.chapters li')
        .map((_, li) => $(li).text())
        .get(),
    ).toEqual([
      '0:00 Welcome',
      '1:35 Three moves in ten years',
      '20:10 Exports that work',
      '40:00 Domains and DKIM',
      '50:50 What to do this week',
    ]);
    expect($('.transcripts a').attr('href')).toBe('https://signal-noise.example.com/transcripts/ep-43.vtt');
    expect(
      $('details.transcript p')
        .map((_, p) => $(p).text())
        .get(),
    ).toEqual([
      "Ada Lindqvist: Welcome to Signal & Noise. I'm Ada. My guest today moved a newsletter three times.",
      'Jun Park: And lost almost nobody. The trick is boring: keep your list.',
    ]);
    expect(chaptered.warnings.map((w) => w.code)).toEqual([]);
  });
});

describe('buildArchive decides what is public', () => {
  it('leaves out drafts and `archive: false`, keeps `send: never`, and says why', () => {
    // Prepare
    const posts = [
      md('title: Draft\ndate: 2026-01-01\nslug: draft-one\ndraft: true'),
      md('title: Hidden\ndate: 2026-01-02\nslug: hidden\narchive: false'),
      md('title: Web only\ndate: 2026-01-03\nslug: web-only\nsend: never'),
    ];

    // Act
    const result = buildArchive(posts, site, templates);

    // Assess
    expect(result.posts.map((p) => p.slug)).toEqual(['web-only']);
    expect(result.left).toEqual([
      { slug: 'draft-one', reason: 'draft' },
      { slug: 'hidden', reason: 'archive: false' },
    ]);
    expect(result.files.map((f) => f.path)).not.toContain('draft-one/index.html');
  });

  it('shows the whole post, never the Gmail-clip cut of the email', () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `Paragraph ${i + 1} ${'word '.repeat(40)}`);
    const long = md('title: Long\ndate: 2026-01-01\nslug: long', paragraphs.join('\n\n'));
    const $ = load(file(buildArchive([long], site, templates), 'long/index.html'));
    expect($('.body p').length).toBe(400);
    expect($('.body').text()).toContain('Paragraph 400 ');
  });

  it('escapes what a feed wrote, in the page, the link previews and the JSON-LD', () => {
    // Prepare: an item whose title closes the script element and whose body carries a script
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://evil.example/</link>
<item><title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; "quoted"</title><link>https://evil.example/p</link>
<guid>evil-1</guid><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>
<description>&lt;p onclick="x()"&gt;hi&lt;script&gt;alert(2)&lt;/script&gt;&lt;/p&gt;</description></item></channel></rss>`;
    const [post] = parseFeed(xml, { source: 'https://evil.example/feed.xml' });

    // Act
    const result = buildArchive([post as Post], site, templates);
    const html = file(result, `${post?.slug}/index.html`);
    const $ = load(html);

    // Assess
    expect($('script').length).toBe(1);
    expect($('script').attr('type')).toBe('application/ld+json');
    expect(JSON.parse($('script').text())).toMatchObject({
      headline: '</script><script>alert(1)</script> "quoted"',
    });
    expect($('h1').text()).toBe('</script><script>alert(1)</script> "quoted"');
    expect($('[onclick]').length).toBe(0);
    expect(html).not.toContain('alert(2)');
  });

  it('pages the index past 50 posts, newest first, with links both ways', () => {
    // Prepare
    const posts = Array.from({ length: 120 }, (_, i) =>
      aPost({
        id: `p${i}`,
        slug: `p${i}`,
        title: `Post ${i}`,
        date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      }),
    );

    // Act
    const result = buildArchive(posts, site, templates);
    const first = load(file(result, 'index.html'));
    const second = load(file(result, 'page/2/index.html'));
    const third = load(file(result, 'page/3/index.html'));

    // Assess
    expect(first('.posts > li').length).toBe(50);
    expect(first('.posts h2').first().text()).toBe('Post 119');
    expect(third('.posts > li').length).toBe(20);
    expect(first('a[rel=next]').attr('href')).toBe('https://news.signal-noise.example.com/archive/page/2/');
    expect(second('a[rel=prev]').attr('href')).toBe('https://news.signal-noise.example.com/archive/');
    expect(third('a[rel=next]').length).toBe(0);
  });

  it('writes right-to-left languages right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('he-IL')).toBe('rtl');
    expect(directionOf('en-GB')).toBe('ltr');
    const rtl = { ...site, lang: 'ar', dir: 'rtl' as const };
    const $ = load(file(buildArchive([aPost()], rtl, templates), 'index.html'));
    expect($('html').attr('dir')).toBe('rtl');
  });
});
