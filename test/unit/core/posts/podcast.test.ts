import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../../functions/core/posts/feed.ts';
import { parseChapters } from '../../../../functions/core/posts/podcast.ts';
import { transcriptText } from '../../../../functions/core/posts/transcript.ts';
import { withChapters, withTranscript } from '../../../../functions/use-cases/podcast-files.ts';

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

describe('transcripts', () => {
  const url = 'https://signal-noise.example.com/transcripts/ep-43';

  it('reads SRT captions without speakers as paragraphs, and HTML through the body sanitizer', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:04,000\nHello &amp; welcome.\n\n2\n00:00:05,000 --> 00:00:06,000\nSecond line.\n';
    expect(transcriptText(srt, 'application/x-subrip', `${url}.srt`)).toEqual({
      url: `${url}.srt`,
      paragraphs: [{ text: 'Hello & welcome. Second line.' }],
    });
    const html = transcriptText(
      '<p onclick="x()">Ada: hi</p><script>alert(1)</script>',
      'text/html',
      `${url}.html`,
    );
    expect(html).toEqual({ url: `${url}.html`, html: '<p>Ada: hi</p>' });
  });

  it('says in one line when a file holds no captions', () => {
    expect(transcriptText('WEBVTT\n', 'text/vtt', `${url}.vtt`)).toEqual({ error: 'no captions in it' });
    expect(transcriptText('<html>not captions', 'text/vtt', `${url}.vtt`)).toMatchObject({
      error: expect.stringMatching(/^not WebVTT or SRT captions: /),
    });
  });

  it('leaves an unreadable transcript as a link, with a warning', async () => {
    const post = episode ?? (undefined as never);
    const out = await withTranscript(post, async () => 'WEBVTT\n');
    expect(out.podcast?.transcript).toBeUndefined();
    expect(out.warnings).toContainEqual({
      code: 'TRANSCRIPT_UNAVAILABLE',
      message:
        'https://signal-noise.example.com/transcripts/ep-43.vtt: the transcript is linked, not shown (no captions in it)',
    });
  });
});
