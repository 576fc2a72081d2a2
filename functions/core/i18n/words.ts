// A translator over strings already resolved for one language (catalogue and overrides merged at build time),
// for the http function: the journey emails carry their strings (CompiledJourney), so the subscriber pages and
// the journey use cases speak the list's language with neither i18next nor the catalogues in the bundle. The
// rules are i18next's for these messages: `{{name}}` is filled in, and a `count` picks the `_<form>` key
// Intl.PluralRules names, `_other` failing that.
import { en, type MessageKey } from './catalogues/en.ts';
import { directionOf } from './direction.ts';
import type { MessageValues, Translator } from './translator-types.ts';

/** One language's strings, resolved: what a compiled journey carries for each language. */
export interface LanguageStrings {
  /** The BCP 47 tag, canonical. */
  readonly language: string;
  readonly strings: Readonly<Record<string, string>>;
}

/**
 * The translator of resolved strings.
 *
 * @example
 * wordsFrom({ language: 'en', strings: { 'page.waitMinutes_one': 'Wait {{count}} minute.', 'page.waitMinutes_other': 'Wait {{count}} minutes.' } })
 *   .t('page.waitMinutes', { count: 2 }) // 'Wait 2 minutes.'
 */
export function wordsFrom(resolved: LanguageStrings): Translator {
  const { language, strings } = resolved;
  const plurals = new Intl.PluralRules(language);
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
  const lists = new Intl.ListFormat(language, { type: 'conjunction' });
  const units = language.startsWith('zh')
    ? lists
    : new Intl.ListFormat(language, { type: 'unit', style: 'short' });
  const fill = (message: string, values: MessageValues) =>
    message.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  return {
    language,
    dir: directionOf(language),
    t: (key: MessageKey, values: MessageValues = {}) => {
      const count = values.count;
      const message =
        (typeof count === 'number'
          ? (strings[`${key}_${plurals.select(count)}`] ?? strings[`${key}_other`])
          : undefined) ??
        strings[key] ??
        key;
      return fill(message, values);
    },
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dates.format(d);
    },
    list: (items, type = 'conjunction') => (type === 'unit' ? units : lists).format(items),
  };
}

let english: Translator | undefined;

/** English, from the English catalogue alone (a small module): the fallback where no language was given. */
export function englishWords(): Translator {
  english ??= wordsFrom({ language: 'en', strings: en });
  return english;
}
