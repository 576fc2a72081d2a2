import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { oneLine, safeUrl } from './text.ts';
import type { WarningCollector } from './warnings.ts';

// Substack's markup (and the few Markdown conventions that mean the same) turned into the plain semantic HTML
// the renderer styles: the paywall cut, footnotes, post embeds, captioned figures and button rows.

export function cutAtPaywall($: CheerioAPI, baseUrl: string, warnings: WarningCollector): void {
  const jump = $('.paywall-jump').first();
  if (jump.length === 0) return;
  // Everything after the marker, at every level up to the root, is paid content.
  let node: Cheerio<AnyNode> = jump;
  while (node.length > 0) {
    node.nextAll().remove();
    node = node.parent();
  }
  jump.remove();
  $.root().append(buttonRow($, [{ href: baseUrl, text: 'Continue reading' }]));
  warnings.add('PAYWALL_CUT', 'the body was cut at the paywall and ends with a "Continue reading" button');
}

/** Substack's footnotes become the shape markdown-it-footnote gives, so the renderer styles one shape. */
export function normalizeFootnotes($: CheerioAPI): void {
  $('a.footnote-anchor').each((_, el) => {
    const a = $(el);
    const id = a.attr('id');
    const ref = $('<sup class="footnote-ref"></sup>');
    const link = $('<a></a>')
      .attr('href', a.attr('href') ?? '')
      // Bracketed like markdown-it-footnote's refs, so the plain-text part reads "reader[1]", not "reader1".
      .text(`[${oneLine(a.text())}]`);
    if (id) link.attr('id', id);
    a.replaceWith(ref.append(link));
  });
  const notes = $('div.footnote');
  if (notes.length === 0) return;
  const list = $('<ol class="footnotes-list"></ol>');
  notes.each((_, el) => {
    const note = $(el);
    const number = note.find('a.footnote-number').first();
    const item = $('<li class="footnote-item"></li>');
    const id = number.attr('id');
    if (id) item.attr('id', id);
    item.append(
      note.find('.footnote-content').first().contents().length
        ? note.find('.footnote-content').first().contents()
        : note.contents().not(number),
    );
    const back = number.attr('href');
    if (back) item.append($('<a class="footnote-backref">↩︎</a>').attr('href', back));
    list.append(item);
  });
  notes.first().before('<hr class="footnotes-sep">');
  notes.first().replaceWith($('<section class="footnotes"></section>').append(list));
  $('div.footnote').remove();
}

/** Substack's `digest-post-embed` / `embedded-post-wrap` (a card for another post) becomes a plain link. */
export function linkPostEmbeds($: CheerioAPI, baseUrl: string): void {
  $('.digest-post-embed, .embedded-post-wrap').each((_, el) => {
    const node = $(el);
    const attrs = dataAttrs(node);
    const anchor = node.find('a[href]').first();
    const href = stringField(attrs, 'canonical_url') ?? stringField(attrs, 'url') ?? anchor.attr('href');
    const title =
      stringField(attrs, 'title') ??
      oneLine(node.find('h1, h2, h3, h4, .embedded-post-title').first().text() || anchor.text());
    const safe = href ? safeUrl(href, baseUrl) : undefined;
    if (!safe) {
      node.remove();
      return;
    }
    node.replaceWith(
      $('<p></p>').append(
        $('<a></a>')
          .attr('href', safe)
          .text(title || safe),
      ),
    );
  });
}

/** Captioned images (Substack's and any `<figure>` with an image) become `figure.tidings-figure`. */
export function normalizeFigures($: CheerioAPI): void {
  $('figure').each((_, el) => {
    const figure = $(el);
    const img = figure.find('img').first();
    if (img.length === 0) return;
    const caption = figure.find('figcaption').first();
    const out = $('<figure class="tidings-figure"></figure>').append(img.clone());
    if (caption.length && oneLine(caption.text()))
      out.append($('<figcaption></figcaption>').append(caption.contents()));
    const container = figure.parent('.captioned-image-container');
    (container.length ? container : figure).replaceWith(out);
  });
  // A Markdown image alone in its paragraph, with a title: the title is its caption.
  $('p').each((_, el) => {
    const p = $(el);
    const img = p.children('img');
    const title = img.attr('title');
    if (img.length !== 1 || p.children().length !== 1 || oneLine(p.text()) !== '' || !title) return;
    img.removeAttr('title');
    p.replaceWith(
      $('<figure class="tidings-figure"></figure>').append(img, $('<figcaption></figcaption>').text(title)),
    );
  });
}

export function normalizeButtons($: CheerioAPI): void {
  const squash = (text: string) => text.replace(/\s+/g, '');
  // A paragraph of nothing but buttons (Substack's p.button-wrapper, or Markdown links marked {.button})
  // becomes a row of buttons.
  $('p.button-wrapper, p:has(> a.button)').each((_, el) => {
    const p = $(el);
    const links = p.children('a');
    const onlyLinks =
      links.length > 0 &&
      links.length === p.children().length &&
      squash(p.text()) === squash(links.text()) &&
      (p.hasClass('button-wrapper') || links.filter('.button').length === links.length);
    if (!onlyLinks) return;
    const buttons = links
      .toArray()
      .map((a) => ({ href: $(a).attr('href') ?? '', text: oneLine($(a).text()) }))
      .filter((b) => b.href && b.text);
    p.replaceWith(buttons.length ? buttonRow($, buttons) : '');
  });
  // A button in the middle of text stays a plain link: a button there would break the sentence.
  $('a.button').removeClass('button primary');
}

export function buttonRow($: CheerioAPI, links: readonly { href: string; text: string }[]): Cheerio<AnyNode> {
  const row = $('<p class="tidings-button-row"></p>');
  for (const link of links)
    row.append($('<a class="tidings-button"></a>').attr('href', link.href).text(link.text));
  return row;
}

/** The JSON Substack puts in an element's `data-attrs`, when it parses to an object. */
export function dataAttrs(node: Cheerio<AnyNode>): Record<string, unknown> | undefined {
  const raw = node.attr('data-attrs');
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function stringField(attrs: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = attrs?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
