import { load } from 'cheerio';
import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: 78,
  baseElements: { selectors: ['body'] },
  selectors: [
    { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
});

/**
 * The plain-text twin of an email, made from its final HTML with html-to-text: links kept as
 * `text [url]`, headings as written, the footer kept; images, links that only wrap an image, and the
 * hidden preheader left out.
 */
export function htmlToPlainText(html: string): string {
  const $ = load(html);
  $('.tidings-preheader').remove();
  $('a').each((_, el) => {
    const a = $(el);
    if (a.text().trim() === '' && a.find('img').length > 0) a.remove();
  });
  return `${convert($.html()).trim()}\n`;
}
