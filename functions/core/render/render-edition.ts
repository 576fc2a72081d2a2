import { InvalidInputError } from '../errors.ts';
import { listTranslator } from '../i18n/for-config.ts';
import type { Warning } from '../posts/post.ts';
import { baseView, htmlBudget, type RenderEditionInput } from './edition-view.ts';
import { renderDigest } from './render-digest.ts';
import { renderPost } from './render-post.ts';
import { slotMarkers, toStored } from './slot-markers.ts';
import { type Greetings, NAME_PLACEHOLDER } from './slots.ts';
import { htmlToPlainText } from './text.ts';

// Names other code has always imported from this module.
export { oneLine as cleanLine } from '../posts/text.ts';
export { formatDuration, type RenderEditionInput, themeView } from './edition-view.ts';

/**
 * One edition, rendered once. Plain JSON: it is stored (DynamoDB/S3) and loaded by the send Lambda.
 * `html` and `text` hold the per-recipient slots as `{{greeting}}`, `{{email}}`, `{{unsubscribeUrl}}`,
 * `{{preferencesUrl}}` (and `{{lb}}`/`{{bs}}` for literal `{{` and `\` from the content); see slots.ts.
 */
export interface RenderedEdition {
  readonly editionId: string;
  readonly subject: string;
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
  readonly warnings: readonly Warning[];
  /** The greeting slot's words in the list's language (`named` holds {@link NAME_PLACEHOLDER}); see greetingFor. */
  readonly greetings?: Greetings;
  readonly bytes: { readonly html: number; readonly text: number };
}

/**
 * Renders an edition once: Handlebars fills the theme and the content (escaping everything from posts),
 * MJML runs once, and the result keeps slots for the per-recipient parts. Adds the plain-text twin, cuts
 * the body at a block boundary when the HTML would pass the budget (warning GMAIL_CLIP_RISK), and reports
 * images without alt (IMAGE_NO_ALT) beside the post's own warnings. A post edition is rendered by
 * render-post.ts, a digest by render-digest.ts.
 *
 * @example
 * const edition = await renderEdition({ kind: 'post', posts: [post], list, config, templates, editionId, now });
 * edition.subject; // the post title
 */
export async function renderEdition(input: RenderEditionInput): Promise<RenderedEdition> {
  const { posts, config } = input;
  const first = posts[0];
  if (!first) throw new InvalidInputError('EDITION_EMPTY', `edition ${input.editionId}: no posts to render`);
  if (input.kind === 'post' && posts.length !== 1) {
    throw new InvalidInputError(
      'EDITION_KIND',
      `edition ${input.editionId}: a post edition holds one post, got ${posts.length}; use kind "digest"`,
    );
  }
  const budget = htmlBudget(config);
  const markers = slotMarkers(input.editionId, posts);
  // One translator per edition render: the list's language and the author's overrides.
  const i18n = listTranslator(config, input.list);
  const base = baseView(input, markers.values, i18n);
  const rendered =
    input.kind === 'post'
      ? await renderPost(input, first, base, budget)
      : await renderDigest(input, base, budget);

  const text = htmlToPlainText(rendered.html, { rtl: base.dir === 'rtl' });
  const storedHtml = toStored(rendered.html, markers);
  const storedText = toStored(text, markers);
  return {
    editionId: input.editionId,
    subject: rendered.subject,
    preheader: rendered.preheader,
    html: storedHtml,
    text: storedText,
    warnings: [...posts.flatMap((p) => p.warnings), ...rendered.warnings],
    greetings: {
      named: i18n.t('email.greeting', { name: NAME_PLACEHOLDER }),
      anonymous: i18n.t('email.greetingAnonymous'),
    },
    bytes: { html: Buffer.byteLength(storedHtml), text: Buffer.byteLength(storedText) },
  };
}
