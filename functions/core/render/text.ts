import { load } from 'cheerio';
import { compile, type FormatCallback, type FormatOptions } from 'html-to-text';

const LINK_OPTIONS: FormatOptions = { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: true };

/**
 * A button (`a.tidings-button`) is a link on a line of its own: buttons sit side by side in one row in
 * the HTML, and as inline links their texts would run together ("…]Apple Podcasts").
 */
const buttonLink: FormatCallback = (elem, walk, builder, formatOptions) => {
  const anchor = builder.options.formatters.anchor;
  builder.openBlock({ leadingLineBreaks: 1 });
  if (anchor) anchor(elem, walk, builder, formatOptions);
  else walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

/** A heading on its own line, marked as Markdown marks it ("## Highlights"), so it reads as a heading. */
const markedHeading: FormatCallback = (elem, walk, builder) => {
  const level = Number((elem.name ?? 'h1').slice(1)) || 1;
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addInline(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

const convert = compile({
  wordwrap: 78,
  baseElements: { selectors: ['body'] },
  formatters: { buttonLink, markedHeading },
  selectors: [
    { selector: 'a', options: LINK_OPTIONS },
    { selector: 'a.tidings-button', format: 'buttonLink', options: LINK_OPTIONS },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', format: 'markedHeading' },
    { selector: 'h2', format: 'markedHeading' },
    { selector: 'h3', format: 'markedHeading' },
    { selector: 'h4', format: 'markedHeading' },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
});

// U+200F RIGHT-TO-LEFT MARK: a strong right-to-left character that shows nothing.
const RLM = '\u200f';

/**
 * The plain-text twin of an email, made from its final HTML with html-to-text: links kept as
 * `text [url]`, each button on its own line, headings as written, the footer kept; images, links that only wrap an image, and the
 * hidden preheader left out. For a right-to-left email (`rtl`), every line starts with a RIGHT-TO-LEFT MARK:
 * a plain-text reader takes each line's direction from its first strong character, so a line that opens
 * with a Latin name, a number or a URL would otherwise be laid out left to right.
 */
export function htmlToPlainText(html: string, options: { readonly rtl?: boolean } = {}): string {
  const $ = load(html);
  $('.tidings-preheader').remove();
  $('a').each((_, el) => {
    const a = $(el);
    if (a.text().trim() === '' && a.find('img').length > 0) a.remove();
  });
  const text = convert($.html()).trim();
  return `${options.rtl ? text.replace(/^(?=.)/gm, RLM) : text}\n`;
}
