import type { Config } from '../config/schema.ts';
import type { Media, Post, Warning } from '../posts/post.ts';
import { absolute, blockSizes, cutBody, prepareBody } from './body.ts';
import {
  type BaseView,
  formatDuration,
  headline,
  kb,
  postView,
  type RenderEditionInput,
  type RenderedBody,
} from './edition-view.ts';
import { fillTemplate, mjmlToHtml } from './render-mjml.ts';
import type { TemplateSources } from './templates.ts';

/**
 * Renders the email of one post: the body with its media placed (cards for the rest), cut at a block
 * boundary with a "Continue reading" button when the HTML would pass `budget` (GMAIL_CLIP_RISK), and
 * IMAGE_NO_ALT for a cover without alt text.
 */
export async function renderPost(
  input: RenderEditionInput,
  post: Post,
  base: BaseView,
  budget: number,
): Promise<RenderedBody> {
  const { config } = input;
  const warnings: Warning[] = [];
  const card = (media: Media, index: number) => mediaCard(media, index, post, input.templates, config);
  const body = prepareBody(post.bodyHtml, { media: post.media, baseUrl: post.url, card });
  warnings.push(...body.warnings);
  const cardsHtml = post.media
    .map((m, i) => (body.placed.has(i) ? '' : card(m, i)))
    .filter(Boolean)
    .join('\n');
  const { subject, preheader } = headline(input);
  const render = (bodyHtml: string) =>
    mjmlToHtml(
      fillTemplate(
        input.templates.post,
        {
          ...base,
          subject,
          preheader,
          post: { ...postView(post, config), bodyHtml, cardsHtml, ...commentView(body.comment) },
        },
        input.templates.partials,
      ),
    );
  let html = await render(body.html);
  const fullBytes = Buffer.byteLength(html);
  if (fullBytes > budget) {
    html = await fitToBudget(body.html, html, budget, post.url, render);
    warnings.push({
      code: 'GMAIL_CLIP_RISK',
      message: `the email would be ${kb(fullBytes)}, over the ${config.sending.htmlBudgetKb} KB budget (Gmail clips at 102 KB); the body was cut to ${kb(Buffer.byteLength(html))} at a block boundary, with a "Continue reading" button`,
    });
  }
  if (post.cover && !post.cover.alt) {
    warnings.push({ code: 'IMAGE_NO_ALT', message: `the cover image of "${post.title}" has no alt text` });
  }
  return { html, subject, preheader, warnings };
}

/** Drops trailing top-level blocks until the HTML fits, estimating first and then stepping down. */
async function fitToBudget(
  bodyHtml: string,
  fullHtml: string,
  budget: number,
  url: string,
  render: (body: string) => Promise<string>,
): Promise<string> {
  const sizes = blockSizes(bodyHtml);
  const rawTotal = sizes.reduce((a, b) => a + b, 0) || 1;
  const empty = Buffer.byteLength(await render(cutBody(bodyHtml, 0, url)));
  // Inlined CSS makes the body grow by a roughly constant factor; estimate the raw bytes that fit.
  const growth = Math.max(1, (Buffer.byteLength(fullHtml) - empty) / rawTotal);
  const allowedRaw = ((budget - empty) / growth) * 0.97;
  let keep = 0;
  for (let acc = 0; keep < sizes.length && acc + (sizes[keep] ?? 0) <= allowedRaw; keep++)
    acc += sizes[keep] ?? 0;
  for (;;) {
    const html = await render(cutBody(bodyHtml, keep, url));
    if (Buffer.byteLength(html) <= budget || keep === 0) return html;
    keep = Math.floor(keep * 0.9);
  }
}

function commentView(comment: { url: string; label: string } | undefined) {
  return comment ? { commentUrl: comment.url, commentLabel: comment.label } : {};
}

function mediaCard(
  media: Media,
  index: number,
  post: Post,
  templates: TemplateSources,
  config: Config,
): string {
  const url = absolute(media.url, post.url) ?? post.url;
  const image = media.image ? absolute(media.image, post.url) : undefined;
  const where = media.provider ? PROVIDER_NAMES[media.provider] : undefined;
  const title =
    media.title ?? (media.kind === 'audio' ? post.title : where ? `Watch on ${where}` : `Video ${index + 1}`);
  const data = {
    video: media.kind === 'video',
    url,
    // The image also goes into CSS url('…'); percent-encode what could end the string there.
    image: image ? cssSafeUrl(image) : post.cover ? cssSafeUrl(post.cover.url) : undefined,
    imageAlt: `Artwork: ${title}`,
    title,
    duration: media.duration ? formatDuration(media.duration) : '',
    playLabel: media.kind === 'video' ? 'Play video' : 'Listen',
    brandColor: config.site.brandColor,
    muted: templates.theme.muted,
    border: templates.theme.border,
  };
  return fillTemplate(templates.partials['media-card'] ?? '', data, templates.partials).trim();
}

const PROVIDER_NAMES: Readonly<Partial<Record<NonNullable<Media['provider']>, string>>> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  spotify: 'Spotify',
  'apple-podcasts': 'Apple Podcasts',
  soundcloud: 'SoundCloud',
  'substack-video': 'Substack',
};

function cssSafeUrl(url: string): string {
  return url.replace(/['"()\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
