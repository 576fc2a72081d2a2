import type { Config } from '../config/schema.ts';
import type { Translator } from '../i18n/translator.ts';
import type { Media, Post } from '../posts/post.ts';
import { oneLine } from '../posts/text.ts';
import { absolute } from './body.ts';
import { buttonHtml } from './buttons.ts';
import { formatDuration } from './edition-view.ts';
import { COLUMN_WIDTH, type ImageSizes, videoThumbnail } from './images.ts';
import { fillTemplate } from './render-mjml.ts';
import type { TemplateSources } from './templates.ts';

/** The names readers know the media providers by ("Listen on Spotify"). */
export const PROVIDER_NAMES: Readonly<Partial<Record<NonNullable<Media['provider']>, string>>> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  spotify: 'Spotify',
  'apple-podcasts': 'Apple Podcasts',
  soundcloud: 'SoundCloud',
  'substack-video': 'Substack',
};

/** The 16:9 height of a video card as wide as the column. */
export const VIDEO_HEIGHT = Math.round((COLUMN_WIDTH * 9) / 16);

/**
 * Which media items get a card of their own, and which are the same episode as another and only add a
 * button to its card: a Spotify or Apple Podcasts embed with no title of its own, or with the title of the
 * post's audio (or of the post), is that episode on that platform. Returns, for each media index, the
 * index of the card it belongs to (itself when it leads one).
 */
export function planCards(post: Post): number[] {
  const lead = post.media.findIndex((m) => m.kind === 'audio' && !(m.provider && PROVIDER_NAMES[m.provider]));
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && oneLine(a).toLowerCase() === oneLine(b).toLowerCase();
  const leadMedia = lead >= 0 ? post.media[lead] : undefined;
  return post.media.map((m, i) => {
    if (!leadMedia || i === lead || m.kind !== 'audio' || !m.provider || !PROVIDER_NAMES[m.provider])
      return i;
    const sameEpisode = m.title === undefined || same(m.title, leadMedia.title) || same(m.title, post.title);
    return sameEpisode ? lead : i;
  });
}

/** Renders the card of media item `index` (with the buttons of the items merged into it), or '' for a merged one. */
export function mediaCard(
  index: number,
  post: Post,
  plan: readonly number[],
  ctx: {
    readonly templates: TemplateSources;
    readonly config: Config;
    readonly imageSizes?: ImageSizes | undefined;
    readonly i18n: Translator;
  },
): string {
  const media = post.media[index];
  if (!media || plan[index] !== index) return '';
  const { templates, config, i18n } = ctx;
  const rtl = i18n.dir === 'rtl';
  const url = absolute(media.url, post.url) ?? post.url;
  const image = media.image ? absolute(media.image, post.url) : undefined;
  const where = media.provider ? PROVIDER_NAMES[media.provider] : undefined;
  const title =
    media.title ??
    (media.kind === 'audio'
      ? post.title
      : where
        ? i18n.t('email.watchOn', { provider: where })
        : i18n.t('email.videoNumber', { number: index + 1 }));
  const brandColor = config.site.brandColor;
  const merged = post.media.filter((_, i) => i !== index && plan[i] === index);
  const duration = media.duration ?? merged.find((m) => m.duration !== undefined)?.duration;
  const listen = [media, ...merged].map((m) => ({
    href: absolute(m.url, post.url) ?? post.url,
    text: `▶ ${listenLabel(m, i18n)}`,
    ariaLabel: `${listenLabel(m, i18n)}: ${title}`,
  }));
  const data = {
    video: media.kind === 'video',
    url,
    // The image also goes into CSS url('…'); percent-encode what could end the string there. The post's
    // cover is not used as a stand-in: it already heads the email.
    image: image
      ? cssSafeUrl(media.kind === 'video' ? videoThumbnail(image, ctx.imageSizes) : image)
      : undefined,
    imageAlt: i18n.t('email.artwork', { title }),
    title,
    duration: duration ? formatDuration(duration) : '',
    playLabel: i18n.t('email.playVideo'),
    listenLabel: i18n.t('email.listen'),
    // Mirrored for right-to-left: the artwork on the start side, padded away from the card's edge there.
    imagePadding: rtl ? '16px 16px 16px 0' : '16px 0 16px 16px',
    width: COLUMN_WIDTH,
    height: VIDEO_HEIGHT,
    // Where Outlook's VML puts the Play button: the middle of the picture.
    buttonTop: Math.round((VIDEO_HEIGHT - 56) / 2),
    buttonsHtml: listen
      .map((l) =>
        buttonHtml(l, {
          color: brandColor,
          fontSize: 15,
          padding: '10px 18px',
          align: rtl ? 'right' : 'left',
          margin: rtl ? '0 0 8px 8px' : '0 8px 8px 0',
        }),
      )
      .join(''),
    brandColor,
    muted: templates.theme.muted,
    border: templates.theme.border,
  };
  return fillTemplate(templates.partials['media-card'] ?? '', data, templates.partials).trim();
}

function listenLabel(m: Media, i18n: Translator): string {
  const where = m.provider ? PROVIDER_NAMES[m.provider] : undefined;
  return where && m.provider !== 'substack-video'
    ? i18n.t('email.listenOn', { provider: where })
    : i18n.t('email.listen');
}

function cssSafeUrl(url: string): string {
  return url.replace(/['"()\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
