import { describe, expect, it } from 'vitest';
import { recognizeEmbed } from '../../../../functions/core/posts/embeds.ts';

describe('recognizeEmbed', () => {
  it.each([
    'https://www.youtube.com/watch?v=ScMzIvxBSi4&t=42',
    'https://youtu.be/ScMzIvxBSi4',
    'https://m.youtube.com/watch?v=ScMzIvxBSi4',
    'https://www.youtube.com/embed/ScMzIvxBSi4?rel=0',
    'https://www.youtube-nocookie.com/embed/ScMzIvxBSi4',
    'https://www.youtube.com/shorts/ScMzIvxBSi4',
  ])('links %s to the YouTube watch page with its thumbnail', (url) => {
    expect(recognizeEmbed(url)).toEqual({
      kind: 'video',
      provider: 'youtube',
      url: 'https://www.youtube.com/watch?v=ScMzIvxBSi4',
      image: 'https://img.youtube.com/vi/ScMzIvxBSi4/hqdefault.jpg',
    });
  });

  it.each([
    ['https://player.vimeo.com/video/76979871?h=abc', 'vimeo', 'video', 'https://vimeo.com/76979871'],
    [
      'https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk?utm_source=x',
      'spotify',
      'audio',
      'https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk',
    ],
    [
      'https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0',
      'spotify',
      'audio',
      'https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0',
    ],
    [
      'https://embed.podcasts.apple.com/us/podcast/x/id150?i=1000&theme=auto',
      'apple-podcasts',
      'audio',
      'https://podcasts.apple.com/us/podcast/x/id150?i=1000',
    ],
    [
      'https://w.soundcloud.com/player/?url=https%3A//soundcloud.com/artist/track&color=ff5500',
      'soundcloud',
      'audio',
      'https://soundcloud.com/artist/track',
    ],
  ])('recognizes %s', (url, provider, kind, page) => {
    expect(recognizeEmbed(url)).toMatchObject({ provider, kind, url: page });
  });

  it.each([
    'https://example.com/watch?v=ScMzIvxBSi4',
    'https://www.youtube.com/channel/UC123',
    'javascript:alert(1)',
    'not a url',
  ])('ignores %s', (url) => {
    expect(recognizeEmbed(url)).toBeUndefined();
  });
});
