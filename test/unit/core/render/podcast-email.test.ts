import { readFileSync } from 'node:fs';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { withPodcastFiles } from '../../../../functions/use-cases/podcast-files.ts';
import { anEmailFor } from '../../../helpers/factories.ts';

async function episode(): Promise<Post> {
  const [post] = parseFeed(readFileSync('examples/feeds/podcast.xml', 'utf8'), {
    source: 'https://signal-noise.example.com/podcast.xml',
  });
  return withPodcastFiles(post as Post, async (url) =>
    url.endsWith('.json') ? readFileSync('examples/feeds/podcast-chapters.json', 'utf8') : undefined,
  );
}

describe('a Podcasting 2.0 episode in the email', () => {
  it('shows the season and number, the guest first with a link, the timed chapters and the transcript link', async () => {
    // Act
    const { mail } = await anEmailFor([await episode()], 'post');
    const $ = load(String(mail.html));

    // Assess
    expect(
      $('.t-meta')
        .map((_, p) => $(p).text())
        .get(),
    ).toContain('Season 2 (The open web) · Episode 43');
    const people = $('p').filter((_, p) => $(p).text().startsWith('With '));
    expect(people.text()).toBe('With Jun Park (guest), Ada Lindqvist (host)');
    expect(people.find('a').first().attr('href')).toBe('https://jun.example.org/');
    const chapters = $('h2')
      .filter((_, h) => $(h).text() === 'Chapters')
      .next('ul')
      .find('li');
    expect(chapters.map((_, li) => $(li).text()).get()).toEqual([
      '0:00 — Welcome',
      '1:35 — Three moves in ten years',
      '20:10 — Exports that work',
      '40:00 — Domains and DKIM',
      '50:50 — What to do this week',
    ]);
    expect(
      $('a')
        .filter((_, a) => $(a).text() === 'Read the transcript')
        .attr('href'),
    ).toBe('https://signal-noise.example.com/transcripts/ep-43.vtt');
    expect(mail.text).toContain('20:10 — Exports that work');
  });

  it('escapes what the feed wrote in a guest’s name', async () => {
    const post = await episode();
    const hostile: Post = {
      ...post,
      podcast: { ...post.podcast, people: [{ name: '<img src=x onerror=alert(1)>', role: 'guest' }] },
    };
    const { mail } = await anEmailFor([hostile], 'post');
    expect(String(mail.html)).not.toContain('<img src=x onerror');
    expect(String(mail.html)).toContain('With &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; (guest)');
  });
});
