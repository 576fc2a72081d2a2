import type { Config } from '../config/schema.ts';
import type { Translator } from '../i18n/translator.ts';
import type { Post, Warning } from '../posts/post.ts';
import { truncateAtWord } from '../posts/text.ts';
import { absolute } from './body.ts';
import { buttonHtml } from './buttons.ts';
import {
  type BaseView,
  formatDuration,
  headline,
  kb,
  postView,
  type RenderEditionInput,
  type RenderedBody,
} from './edition-view.ts';
import { COLUMN_WIDTH, heightAt, type ImageSizes } from './images.ts';
import { fillTemplate, mjmlToHtml } from './render-mjml.ts';

/**
 * Renders the email of a digest: one item per post; when the HTML would pass `budget`, the most leading
 * posts that fit and a link to the rest on the site (GMAIL_CLIP_RISK). IMAGE_NO_ALT for each cover
 * without alt text.
 */
export async function renderDigest(
  input: RenderEditionInput,
  base: BaseView,
  budget: number,
): Promise<RenderedBody> {
  const { posts, config } = input;
  const warnings: Warning[] = [];
  const { i18n } = base;
  const { subject, preheader } = headline(input, i18n);
  const render = (kept: number) =>
    mjmlToHtml(
      fillTemplate(
        input.templates.digest,
        {
          ...base,
          subject,
          preheader,
          heading: subject,
          posts: posts.slice(0, kept).map((p) => digestItem(p, config, input.imageSizes, i18n)),
          ...(kept < posts.length
            ? // The rest are on the digest's page in the archive, with every post of the digest.
              { more: { count: posts.length - kept, one: posts.length - kept === 1, url: base.webUrl } }
            : {}),
        },
        input.templates.partials,
      ),
    );
  let html = await render(posts.length);
  const fullBytes = Buffer.byteLength(html);
  if (fullBytes > budget) {
    const fitted = await fitDigest(posts.length, budget, render);
    html = fitted.html;
    const over = `the digest would be ${kb(fullBytes)}, over the ${config.sending.htmlBudgetKb} KB budget (Gmail clips at 102 KB)`;
    const rest = posts.length - fitted.kept;
    warnings.push({
      code: 'GMAIL_CLIP_RISK',
      message:
        Buffer.byteLength(html) <= budget
          ? `${over}; it keeps the first ${fitted.kept} of ${posts.length} posts (${kb(Buffer.byteLength(html))}) and links to the other ${rest} on the site`
          : `${over}; even its first post alone is ${kb(Buffer.byteLength(html))}${rest > 0 ? `, so it keeps that one and links to the other ${rest} on the site` : ''}: raise sending.htmlBudgetKb or shorten the template`,
    });
  }
  for (const p of posts) {
    if (p.cover && !p.cover.alt) {
      warnings.push({ code: 'IMAGE_NO_ALT', message: `cover image of "${p.title}" has no alt text` });
    }
  }
  return { html, subject, preheader, warnings };
}

/**
 * The most leading posts of a digest whose email fits the budget (at least one), with a link to the rest:
 * a binary search over the count, one MJML run per step.
 */
async function fitDigest(
  total: number,
  budget: number,
  render: (kept: number) => Promise<string>,
): Promise<{ html: string; kept: number }> {
  let low = 1;
  let high = total - 1;
  let best: { html: string; kept: number } | undefined;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const html = await render(mid);
    if (Buffer.byteLength(html) <= budget) {
      best = { html, kept: mid };
      low = mid + 1;
    } else high = mid - 1;
  }
  return best ?? { html: await render(1), kept: 1 };
}

function digestItem(post: Post, config: Config, sizes: ImageSizes | undefined, i18n: Translator) {
  const firstImage = post.media.find((m) => m.image)?.image;
  const image = post.cover ?? (firstImage ? { url: firstImage, alt: post.title } : undefined);
  // The episode's own audio (an enclosure) before a platform's embed of it; its duration from whichever has one.
  const audios = post.media.filter((m) => m.kind === 'audio');
  const audio = audios.find((m) => m.provider === 'enclosure' || m.provider === 'front-matter') ?? audios[0];
  const video = post.media.find((m) => m.kind === 'video');
  const shown = audio ?? video;
  const duration = audio
    ? (audio.duration ?? audios.find((m) => m.duration !== undefined)?.duration)
    : video?.duration;
  const mediaLabel = shown
    ? `${i18n.t(audio ? 'email.listen' : 'email.watch')}${duration ? ` (${formatDuration(duration)})` : ''}`
    : '';
  return {
    ...postView(post, i18n),
    image,
    imageHeight: image ? heightAt(image.url, COLUMN_WIDTH, sizes) : undefined,
    excerpt: truncateAtWord(post.excerpt, 300, { keepPunctuation: true }),
    mediaLabel,
    mediaUrl: shown ? (absolute(shown.url, post.url) ?? post.url) : '',
    // Three "Read more" links in a row name nothing: the aria-label says which post each one opens.
    readMoreHtml: buttonHtml(
      {
        href: post.url,
        text: i18n.t('email.readMore'),
        ariaLabel: i18n.t('email.readMoreAbout', { title: post.title }),
      },
      { color: config.site.brandColor, align: i18n.dir === 'rtl' ? 'right' : 'left', margin: '0 0 16px' },
    ),
  };
}
