import { type CheerioAPI, load } from 'cheerio';
import { escapeHtml } from './slots.ts';

/** One button: where it goes, what it says, and (optionally) a fuller name for screen readers. */
export interface ButtonLink {
  readonly href: string;
  readonly text: string;
  readonly ariaLabel?: string;
}

/** How a button looks: the brand colour behind white text, and its size. */
export interface ButtonLook {
  readonly color: string;
  readonly fontSize?: number;
  readonly padding?: string;
  readonly align?: 'left' | 'right' | 'center';
  readonly margin?: string;
}

/**
 * A bulletproof button, as MJML's `mj-button` makes one: the colour and the padding sit on a table cell
 * (`bgcolor`, `padding`), which Outlook for Windows draws, not on the link, whose padding and
 * `display:inline-block` it ignores. The link is marked `tidings-button` (the plain-text part puts each
 * button on its own line).
 *
 * @example
 * buttonHtml({ href: 'https://example.com/p/x', text: 'Read more', ariaLabel: 'Read more: X' }, { color: '#5b3cc4' })
 */
export function buttonHtml(link: ButtonLink, look: ButtonLook): string {
  const color = escapeHtml(look.color);
  const size = look.fontSize ?? 16;
  const padding = look.padding ?? '12px 24px';
  const aria = link.ariaLabel ? ` aria-label="${escapeHtml(link.ariaLabel)}"` : '';
  const align = look.align ?? 'center';
  return (
    `<table role="presentation" class="tidings-button-table" align="${align}" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;margin:${look.margin ?? '0'};">` +
    `<tr><td align="center" valign="middle" bgcolor="${color}" style="background-color:${color};border-radius:6px;padding:${padding};mso-padding-alt:${padding};">` +
    `<a href="${escapeHtml(link.href)}" class="tidings-button"${aria} style="color:#ffffff;font-size:${size}px;font-weight:bold;line-height:1.3;text-decoration:none;display:inline-block;">${escapeHtml(link.text)}</a>` +
    '</td></tr></table>'
  );
}

/**
 * Turns each row of body buttons (`p.tidings-button-row > a.tidings-button`: Share, Subscribe, "Continue
 * reading") into bulletproof buttons, one under the other so that two never overflow a phone's width.
 */
export function bulletproofButtons(html: string, color: string): string {
  const $ = load(html, null, false);
  bulletproofRows($, color);
  return $.html();
}

function bulletproofRows($: CheerioAPI, color: string): void {
  $('p.tidings-button-row').each((_, el) => {
    const row = $(el);
    const links = row
      .find('a.tidings-button')
      .toArray()
      .map((a) => ({ href: $(a).attr('href') ?? '', text: $(a).text().trim() }))
      .filter((l) => l.href && l.text);
    const buttons = links.map((l) => buttonHtml(l, { color, margin: '0 auto 12px' })).join('');
    row.replaceWith(
      buttons ? `<div class="tidings-button-row" style="margin:24px 0 12px;">${buttons}</div>` : '',
    );
  });
}
