import type { Media } from './post.ts';

/**
 * Recognizes a link or an iframe `src` from a media provider tidings can turn into a card: YouTube, Vimeo,
 * Spotify, Apple Podcasts or SoundCloud. Returns the media item (the page a reader opens, never the embed
 * player), or undefined when the URL is not one of them.
 *
 * @example
 * recognizeEmbed('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0')
 * // { kind: 'video', provider: 'youtube', url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
 * //   image: 'https://img.youtube.com/vi/dQw4w9WgXcQ/hqdefault.jpg' }
 */
export function recognizeEmbed(href: string): Media | undefined {
  let url: URL;
  try {
    url = new URL(href, 'https://invalid.invalid/');
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.replace(/^(www|m|music)\./, '');
  const path = url.pathname;

  if (host === 'youtube.com' || host === 'youtube-nocookie.com' || host === 'youtu.be') {
    const id =
      host === 'youtu.be'
        ? path.split('/')[1]
        : path === '/watch'
          ? url.searchParams.get('v')
          : /^\/(?:embed|shorts|live|v)\/([^/?#]+)/.exec(path)?.[1];
    if (!id || !/^[\w-]{6,20}$/.test(id)) return undefined;
    return {
      kind: 'video',
      provider: 'youtube',
      url: `https://www.youtube.com/watch?v=${id}`,
      image: `https://img.youtube.com/vi/${id}/hqdefault.jpg`,
    };
  }
  if (host === 'vimeo.com' || host === 'player.vimeo.com') {
    const id = /^\/(?:video\/)?(\d+)/.exec(path)?.[1];
    return id ? { kind: 'video', provider: 'vimeo', url: `https://vimeo.com/${id}` } : undefined;
  }
  if (host === 'open.spotify.com') {
    const match =
      /^\/(?:embed\/)?(?:embed-podcast\/)?(episode|show|track|album|playlist)\/([A-Za-z0-9]+)/.exec(path);
    return match
      ? { kind: 'audio', provider: 'spotify', url: `https://open.spotify.com/${match[1]}/${match[2]}` }
      : undefined;
  }
  if (host === 'podcasts.apple.com' || host === 'embed.podcasts.apple.com') {
    if (!/\/podcast\//.test(path)) return undefined;
    const page = new URL(`https://podcasts.apple.com${path}`);
    const episode = url.searchParams.get('i');
    if (episode) page.searchParams.set('i', episode);
    return { kind: 'audio', provider: 'apple-podcasts', url: page.href };
  }
  if (host === 'soundcloud.com' || host === 'w.soundcloud.com' || host === 'on.soundcloud.com') {
    if (host === 'w.soundcloud.com') {
      // The widget carries the track in its `url` parameter; a soundcloud.com page URL opens directly,
      // an api.soundcloud.com URL does not, so the widget page itself is the link then.
      const inner = url.searchParams.get('url');
      const page = inner && /^https:\/\/soundcloud\.com\//.test(inner) ? inner : url.href;
      return { kind: 'audio', provider: 'soundcloud', url: page };
    }
    return path.split('/').filter(Boolean).length >= 1
      ? { kind: 'audio', provider: 'soundcloud', url: `https://soundcloud.com${path}` }
      : undefined;
  }
  return undefined;
}
