/**
 * The per-recipient slots a rendered edition leaves in its html and text. A rendered edition stores them as
 * Handlebars mustaches (`{{unsubscribeUrl}}`), so the stored template is also valid Handlebars: the naive
 * path compiles it, and the fast path (core/mime) splits it once and splices values per recipient.
 *
 * Content can contain `{{` too (a post about templating). The renderer escapes it as `{{lb}}` (and a
 * backslash right before one as `{{bs}}`, which Handlebars would otherwise read as an escape), so the only
 * mustaches left in a stored template are the ones below.
 */
export const SLOT_NAMES = ['greeting', 'email', 'unsubscribeUrl', 'preferencesUrl'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

/** Constant mustaches that stand for literal text from the content. */
export const LITERAL_SLOTS: Readonly<Record<'lb' | 'bs', string>> = { lb: '{{', bs: '\\' };

/** Matches every mustache a stored template may hold; group 1 is its name. */
export const STORED_SLOT_RE = /\{\{(greeting|email|unsubscribeUrl|preferencesUrl|lb|bs)\}\}/g;

/** The values of the slots for one recipient, already escaped for the part they go into. */
export type SlotValues = Readonly<Record<SlotName, string>>;

/** Where the reader's name goes in a greeting (Greetings.named). */
export const NAME_PLACEHOLDER = '{name}';

/**
 * The greeting in an edition's language, rendered once with the edition: `named` holds NAME_PLACEHOLDER.
 * The send path fills it per reader without a translator.
 */
export interface Greetings {
  readonly named: string;
  readonly anonymous: string;
}

/** English, for editions rendered before greetings travelled with them. */
export const ENGLISH_GREETINGS: Greetings = { named: `Hi ${NAME_PLACEHOLDER},`, anonymous: 'Hi there,' };

/** What greets a recipient: their name where known, in the edition's language (default English). */
export function greetingFor(name: string | undefined, greetings: Greetings = ENGLISH_GREETINGS): string {
  const clean = name ? stripControl(name).trim() : '';
  // split/join rather than replace(): a name with "$&" must come out as written.
  return clean ? greetings.named.split(NAME_PLACEHOLDER).join(clean) : greetings.anonymous;
}

/** Replaces CR, LF, and other control characters (C0, C1, line/paragraph separators) with a space. */
export function stripControl(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

// The same escapes as Handlebars' `{{ }}`, so every path that fills slots produces the same HTML.
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

const HTML_ESCAPE_RE = /[&<>"'`=]/g;

/** Escapes a value for HTML text or a quoted attribute, exactly as Handlebars' `{{ }}` does. */
export function escapeHtml(value: string): string {
  // A loop over the matches rather than replace() with a callback: every signed link has an "=" to
  // escape, and the callback form was the larger part of the escaping cost per recipient.
  HTML_ESCAPE_RE.lastIndex = 0;
  let match = HTML_ESCAPE_RE.exec(value);
  if (!match) return value;
  let out = '';
  let last = 0;
  while (match) {
    out += value.slice(last, match.index) + (HTML_ESCAPES[match[0]] ?? match[0]);
    last = match.index + 1;
    match = HTML_ESCAPE_RE.exec(value);
  }
  return out + value.slice(last);
}

/**
 * Fills a stored template's slots in one pass (for previews and tests; the send path splices MIME
 * bytes instead). `values` must already be escaped for the part: use `escapeHtml` for html.
 */
export function fillSlots(template: string, values: SlotValues): string {
  return template.replace(STORED_SLOT_RE, (_, name: SlotName | 'lb' | 'bs') =>
    name === 'lb' || name === 'bs' ? LITERAL_SLOTS[name] : values[name],
  );
}
