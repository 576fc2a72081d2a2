import { type CheerioAPI, load } from 'cheerio/slim';
import type { Translator } from '../i18n/translator.ts';
import { translator } from '../i18n/translator.ts';
import type { Media, Post } from '../posts/post.ts';
import { formatDuration } from '../render/edition-view.ts';

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  spotify: 'Spotify',
  'apple-podcasts': 'Apple Podcasts',
  soundcloud: 'SoundCloud',
  'substack-video': 'the post',
};

/**
 * A post's body for the web: the same sanitized HTML as the email's (`post.bodyHtml`), whole (no Gmail-clip
 * cut), with each media placeholder replaced by what a browser can play:
 * - an audio or video file → `<audio controls>` / `<video controls>` that loads nothing until played;
 * - a YouTube video → its thumbnail, linked to the privacy-enhanced player on youtube-nocookie.com, so
 *   nothing from YouTube runs until the reader clicks;
 * - anything else (Spotify, Apple Podcasts, Vimeo, …) → a card linking to the provider's page.
 * Media that no placeholder stands for (an enclosure, front-matter media) come first, as `lead`.
 *
 * Every attribute goes through cheerio's serializer, and every URL in `post.media` is absolute and
 * http(s) (the post parsers guarantee it), so nothing here can open a script context.
 */
export function webBody(
  post: Pick<Post, 'bodyHtml' | 'media' | 'title'>,
  i18n: Translator = translator('en'),
): { lead: string; body: string } {
  const $ = load(post.bodyHtml, {}, false);
  const placed = new Set<number>();
  $('div.tidings-media[data-media-index]').each((_, el) => {
    const index = Number($(el).attr('data-media-index'));
    const item = post.media[index];
    if (!item) {
      $(el).remove();
      return;
    }
    placed.add(index);
    $(el).replaceWith(player($, item, post.title, i18n));
  });
  const lead = load('', {}, false);
  post.media.forEach((item, i) => {
    if (!placed.has(i)) lead.root().append(player(lead, item, post.title, i18n));
  });
  return { lead: lead.html(), body: $.html() };
}

function player($: CheerioAPI, item: Media, postTitle: string, i18n: Translator) {
  const title = item.title ?? postTitle;
  const figure = $('<figure class="media"></figure>').attr('data-kind', item.kind);
  const caption = $('<figcaption></figcaption>').text(
    item.duration ? `${title} · ${formatDuration(item.duration)}` : title,
  );
  const isFile =
    item.provider === 'enclosure' || item.provider === 'front-matter' || item.provider === 'media-rss';
  if (isFile && item.kind === 'audio') {
    const audio = $('<audio controls preload="none"></audio>').attr('src', item.url);
    if (item.type) audio.attr('type', item.type);
    const download = $('<a class="download"></a>').attr('href', item.url).text(i18n.t('podcast.download'));
    return figure.append(caption, audio, $('<p></p>').append(download));
  }
  if (isFile && item.kind === 'video') {
    const video = $('<video controls preload="none" width="640" height="360"></video>').attr('src', item.url);
    if (item.image) video.attr('poster', item.image);
    return figure.append(video, caption);
  }
  const youtubeId = item.provider === 'youtube' ? new URL(item.url).searchParams.get('v') : null;
  if (youtubeId) {
    const href = `https://www.youtube-nocookie.com/embed/${encodeURIComponent(youtubeId)}?autoplay=1`;
    const link = $('<a class="video-thumb"></a>')
      .attr('href', href)
      .attr('aria-label', i18n.t('archive.playVideo', { title }));
    if (item.image)
      link.append($('<img width="640" height="360" loading="lazy">').attr('src', item.image).attr('alt', ''));
    link.append($('<span class="play" aria-hidden="true">▶</span>'));
    return figure.append(link, caption);
  }
  const provider = item.provider ? PROVIDER_NAMES[item.provider] : undefined;
  const verb = item.kind === 'audio' ? 'Listen' : 'Watch';
  const card = $('<a class="media-link"></a>')
    .attr('href', item.url)
    .text(provider ? `${verb} on ${provider}` : verb);
  return figure.append(caption, $('<p></p>').append(card));
}
