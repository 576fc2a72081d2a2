import type { Translator } from '../i18n/translator.ts';
import type { Media, Post, Warning } from '../posts/post.ts';
import { blockSizes, cutBody, prepareBody } from './body.ts';
import { bulletproofButtons } from './buttons.ts';
import {
  type BaseView,
  headline,
  kb,
  postView,
  type RenderEditionInput,
  type RenderedBody,
} from './edition-view.ts';
import { heightAt } from './images.ts';
import { mediaCard, planCards } from './media-cards.ts';
import { podcastBlock } from './podcast-block.ts';
import { fillTemplate, mjmlToHtml } from './render-mjml.ts';

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
  const plan = planCards(post);
  const { i18n } = base;
  const ctx = { templates: input.templates, config, imageSizes: input.imageSizes, i18n };
  const card = (_: Media, index: number) => mediaCard(index, post, plan, ctx);
  const body = prepareBody(post.bodyHtml, {
    media: post.media,
    baseUrl: post.url,
    card,
    imageSizes: input.imageSizes,
  });
  warnings.push(...body.warnings);
  const cardsHtml = post.media
    .map((m, i) => (body.placed.has(i) ? '' : card(m, i)))
    .filter(Boolean)
    .join('\n');
  const { subject, preheader } = headline(input, i18n);
  const render = (bodyHtml: string) =>
    mjmlToHtml(
      fillTemplate(
        input.templates.post,
        {
          ...base,
          subject,
          preheader,
          post: {
            ...postView(post, i18n),
            // The cover spans the whole 600 px card.
            coverHeight: post.cover ? heightAt(post.cover.url, 600, input.imageSizes) : undefined,
            bodyHtml: bulletproofButtons(bodyHtml, config.site.brandColor),
            cardsHtml,
            podcastHtml: podcastBlock(post.podcast, i18n),
            greets: body.greets,
            ...commentView(body.comment, i18n),
          },
        },
        input.templates.partials,
      ),
    );
  let html = await render(body.html);
  const fullBytes = Buffer.byteLength(html);
  if (fullBytes > budget) {
    html = await fitToBudget(body.html, html, budget, post.url, render, i18n.t('email.continueReading'));
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
  label: string,
): Promise<string> {
  const sizes = blockSizes(bodyHtml);
  const rawTotal = sizes.reduce((a, b) => a + b, 0) || 1;
  const empty = Buffer.byteLength(await render(cutBody(bodyHtml, 0, url, label)));
  // Inlined CSS makes the body grow by a roughly constant factor; estimate the raw bytes that fit.
  const growth = Math.max(1, (Buffer.byteLength(fullHtml) - empty) / rawTotal);
  const allowedRaw = ((budget - empty) / growth) * 0.97;
  let keep = 0;
  for (let acc = 0; keep < sizes.length && acc + (sizes[keep] ?? 0) <= allowedRaw; keep++)
    acc += sizes[keep] ?? 0;
  for (;;) {
    const html = await render(cutBody(bodyHtml, keep, url, label));
    if (Buffer.byteLength(html) <= budget || keep === 0) return html;
    keep = Math.floor(keep * 0.9);
  }
}

/**
 * The comment button closes the email in the list's language: the label Substack wrote into the post is
 * its own English chrome, not the author's words.
 */
function commentView(comment: { url: string; label: string } | undefined, i18n: Translator) {
  return comment ? { commentUrl: comment.url, commentLabel: i18n.t('email.leaveComment') } : {};
}
