import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import { parseChapters } from '../../../../functions/core/posts/podcast.ts';
import { withChapters } from '../../../../functions/use-cases/podcast-chapters.ts';

const xml = readFileSync('examples/feeds/podcast.xml', 'utf8');
const chaptersJson = readFileSync('examples/feeds/podcast-chapters.json', 'utf8');
const [episode] = parseFeed(xml, { source: 'https://signal-noise.example.com/podcast.xml' });

describe('a Podcasting 2.0 feed item', () => {
  it('gives the season, the episode number and type, the people, the chapters file and the transcript', () => {
    expect(episode?.podcast).toEqual({
      season: 2,
      seasonName: 'The open web',
      episode: 43,
      episodeType: 'full',
      people: [
        { name: 'Ada Lindqvist', role: 'host', href: 'https://signal-noise.example.com/about' },
        {
          name: 'Jun Park',
          role: 'guest',
          href: 'https://jun.example.org/',
          img: 'https://jun.example.org/jun.jpg',
        },
      ],
      chaptersUrl: 'https://signal-noise.example.com/chapters/ep-43.json',
      transcripts: [
        { url: 'https://signal-noise.example.com/transcripts/ep-43.vtt', type: 'text/vtt', language: 'en' },
      ],
    });
  });

  it('keeps only http(s) links of people and transcripts', () => {
    const hostile = xml
      .replace('href="https://jun.example.org/"', 'href="javascript:alert(1)"')
      .replace('url="https://signal-noise.example.com/transcripts/ep-43.vtt"', 'url="data:text/vtt,x"');
    const [post] = parseFeed(hostile, { source: 'https://signal-noise.example.com/podcast.xml' });
    expect(post?.podcast?.people?.[1]).toEqual({
      name: 'Jun Park',
      role: 'guest',
      img: 'https://jun.example.org/jun.jpg',
    });
    expect(post?.podcast?.transcripts).toBeUndefined();
  });

  it('leaves a feed without podcast tags as it was', () => {
    const [plain] = parseFeed(readFileSync('examples/feeds/atom.xml', 'utf8'), {
      source: 'examples/feeds/atom.xml',
      siteUrl: 'https://signal-noise.example.com',
    });
    expect(plain?.podcast).toBeUndefined();
  });
});

describe('chapters', () => {
  it('reads a JSON chapters file in time order, without the ones hidden from the table of contents', () => {
    const parsed = parseChapters(chaptersJson, 'https://signal-noise.example.com/chapters/ep-43.json');
    expect(parsed).toEqual({
      chapters: [
        { startTime: 0, title: 'Welcome' },
        { startTime: 95, title: 'Three moves in ten years' },
        { startTime: 1210, title: 'Exports that work', url: 'https://jun.example.org/exports' },
        { startTime: 2400, title: 'Domains and DKIM' },
        { startTime: 3050, title: 'What to do this week' },
      ],
    });
  });

  it('says in one line why a file is not a chapters file', () => {
    expect(parseChapters('<html>', 'https://x.example/c.json')).toMatchObject({
      error: expect.stringMatching(/^not JSON: /),
    });
    expect(parseChapters('{"chapters":"no"}', 'https://x.example/c.json')).toEqual({
      error: 'not a chapters file: it needs a "chapters" list of {startTime, title}',
    });
  });

  it('are attached to the episode, or left out with a warning when the file cannot be read', async () => {
    // Prepare
    const post = episode ?? (undefined as never);

    // Act
    const fetched = await withChapters(post, async () => chaptersJson);
    const failed = await withChapters(post, async () => {
      throw new Error('https://signal-noise.example.com/chapters/ep-43.json: could not be read: HTTP 404');
    });

    // Assess
    expect(fetched.podcast?.chapters?.map((c) => c.title)).toContain('Domains and DKIM');
    expect(fetched.warnings.map((w) => w.code)).not.toContain('CHAPTERS_UNAVAILABLE');
    expect(failed.podcast?.chapters).toBeUndefined();
    expect(failed.warnings).toContainEqual({
      code: 'CHAPTERS_UNAVAILABLE',
      message:
        'https://signal-noise.example.com/chapters/ep-43.json: the chapters were left out (could not be read: HTTP 404)',
    });
  });
});
