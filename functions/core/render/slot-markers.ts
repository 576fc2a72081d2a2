import { createHash } from 'node:crypto';
import type { Post } from '../posts/post.ts';
import { SLOT_NAMES, type SlotName } from './slots.ts';

/** The markers of one edition's slots, and a pattern that finds them. */
export interface SlotMarkers {
  readonly values: Readonly<Record<SlotName, string>>;
  readonly pattern: RegExp;
}

/**
 * Markers that stand for the slots while Handlebars, MJML and html-to-text run. Letters and digits only, so
 * no step rewrites them; the nonce is a hash of the content, so a post cannot contain its own markers.
 */
export function slotMarkers(editionId: string, posts: readonly Post[]): SlotMarkers {
  const nonce = createHash('sha256')
    .update(editionId)
    .update(JSON.stringify(posts))
    .digest('hex')
    .slice(0, 16);
  const values = Object.fromEntries(SLOT_NAMES.map((n) => [n, `tslot${nonce}${n}x`])) as Record<
    SlotName,
    string
  >;
  return { values, pattern: new RegExp(`tslot${nonce}(${SLOT_NAMES.join('|')})x`, 'g') };
}

/**
 * The stored form of a rendered part: escapes the content's own `{{` and backslashes before them, then
 * turns markers into slot mustaches (see slots.ts).
 */
export function toStored(rendered: string, markers: SlotMarkers): string {
  const marker = markers.pattern.source.replace('(', '(?:');
  return rendered.replace(new RegExp(`\\\\+(?=\\{\\{|${marker})|\\{\\{|${marker}`, 'g'), (match: string) => {
    if (match === '{{') return '{{lb}}';
    if (match.startsWith('\\')) return '{{bs}}'.repeat(match.length);
    return `{{${match.slice(21, -1)}}}`;
  });
}
