/**
 * Colours derived from the configured brand colour so that every page keeps WCAG AA contrast whatever
 * colour the site owner picks: button text is white or near-black, whichever reads better, and links are
 * darkened until they reach 4.5:1 on white.
 */
export interface BrandColours {
  /** Button background: the brand colour itself. */
  readonly accent: string;
  /** Text on the accent. */
  readonly onAccent: string;
  /** Links and focus rings on a white background (the accent, darkened where needed). */
  readonly link: string;
  /** Links in the dark scheme, on its page and its cards ({@link DARK_SURFACE}): the accent, lightened where needed. */
  readonly darkLink: string;
}

/** The lightest background of the dark colour scheme (its cards; the page itself is darker). */
export const DARK_SURFACE = '#1e1e1e';

const WHITE = '#ffffff';
const INK = '#111111';

export function brandColours(hex: string): BrandColours {
  const onAccent = contrast(hex, WHITE) >= contrast(hex, INK) ? WHITE : INK;
  let link = hex;
  for (let i = 0; i < 20 && contrast(link, WHITE) < 4.5; i += 1) link = darken(link, 0.1);
  let darkLink = hex;
  for (let i = 0; i < 20 && contrast(darkLink, DARK_SURFACE) < 4.5; i += 1)
    darkLink = lighten(darkLink, 0.15);
  return { accent: hex, onAccent, link, darkLink };
}

/** WCAG 2 contrast ratio between two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function darken(hex: string, amount: number): string {
  const out = channels(hex).map((c) => Math.round(c * (1 - amount)));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function lighten(hex: string, amount: number): string {
  const out = channels(hex).map((c) => Math.round(c + (255 - c) * amount));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
