import type Handlebars from 'handlebars';
import type { MessageKey } from './catalogue.ts';
import type { Translator } from './translator-types.ts';
import { englishWords } from './words.ts';

/**
 * Registers `t`, `link`, `anchor` and `side` on a Handlebars environment, so templates write words by key in the language
 * of the translator at the root of their data (`i18n`):
 *
 * - `{{t "email.viewInBrowser"}}`, `{{t "email.morePosts" count=more.count}}`: the message, escaped as any
 *   value is;
 * - `{{t "email.manageOrUnsubscribe" preferences=(link slot.preferencesUrl "email.managePreferences") …}}`:
 *   a value made by `link` is HTML the template made itself and goes in as it is; the message around it
 *   (the author may have overridden it) is escaped.
 */
export function registerI18nHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('t', function (this: unknown, key: MessageKey, options: Handlebars.HelperOptions) {
    const i18n = rootTranslator(options);
    const html = new Map<string, string>();
    const values: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(options.hash as Record<string, unknown>)) {
      if (value instanceof hbs.SafeString) {
        // A marker only letters and digits, so neither the message nor escaping can touch it.
        const marker = `tidingshtml${html.size}x`;
        html.set(marker, value.toHTML());
        values[name] = marker;
      } else values[name] = typeof value === 'number' ? value : String(value ?? '');
    }
    const text = i18n.t(key, values);
    if (html.size === 0) return text;
    let out = hbs.escapeExpression(text);
    for (const [marker, markup] of html) out = out.split(marker).join(markup);
    return new hbs.SafeString(out);
  });
  // `{{side "start"}}`: left, or right when the data's `dir` is rtl (and `end` the other way), for the
  // attributes and CSS that mirror: align, padding-left, border-left, margin-right.
  hbs.registerHelper('side', (which: unknown, options: Handlebars.HelperOptions) => {
    const rtl = (options.data?.root as { dir?: string } | undefined)?.dir === 'rtl';
    return (which === 'start') !== rtl ? 'left' : 'right';
  });
  // `(anchor url text)`: a link whose text is a value (escaped), for a message's HTML slot.
  hbs.registerHelper('anchor', (href: unknown, text: unknown) => {
    return new hbs.SafeString(
      `<a href="${hbs.escapeExpression(String(href ?? ''))}">${hbs.escapeExpression(String(text ?? ''))}</a>`,
    );
  });
  hbs.registerHelper('link', (href: unknown, key: MessageKey, options: Handlebars.HelperOptions) => {
    const text = rootTranslator(options).t(key);
    return new hbs.SafeString(
      `<a href="${hbs.escapeExpression(String(href ?? ''))}">${hbs.escapeExpression(text)}</a>`,
    );
  });
}

/** The translator at the root of the template's data; English for data that carries none. */
function rootTranslator(options: Handlebars.HelperOptions): Translator {
  const i18n = (options.data?.root as { i18n?: Translator } | undefined)?.i18n;
  return i18n ?? englishWords();
}
