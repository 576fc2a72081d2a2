import i18next, { type i18n } from 'i18next';
import { CATALOGUES, type Catalogue, type LanguageId, resolveLanguage } from './catalogue.ts';
import { directionOf } from './direction.ts';
import type { Translator } from './translator-types.ts';

export type { MessageValues, Translator } from './translator-types.ts';

/** Authors' overrides: strings by language tag or catalogue id, then by key (config `strings`). */
export type StringOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The translator for a language tag, with the author's overrides on top of the shipped catalogue: those for
 * the catalogue (`es`), then those for the exact tag (`es-MX`). An unknown tag falls back to English here;
 * the config refuses it before it gets this far.
 *
 * @example
 * translator('ar', {}).t('email.morePosts', { count: 3 }) // '3 منشورات أخرى هذه المرة، …'
 */
export function translator(language: string, overrides: StringOverrides = {}): Translator {
  const { id, tag, strings } = resolvedStrings(language, overrides);
  const engine: i18n = i18next.createInstance();
  void engine.init({
    lng: id,
    resources: { [id]: { translation: strings } },
    fallbackLng: false,
    initAsync: false,
    keySeparator: false,
    nsSeparator: false,
    // Templates escape what they show; a message is plain text until then.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const dates = safeFormat(() => new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }));
  const lists = new Intl.ListFormat(tag, { type: 'conjunction' });
  const units = id === 'zh' ? lists : new Intl.ListFormat(tag, { type: 'unit', style: 'short' });
  return {
    language: tag,
    dir: directionOf(tag),
    t: (key, values) => engine.t(key, values ?? {}) as string,
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dates.format(d);
    },
    list: (items, type = 'conjunction') => (type === 'unit' ? units : lists).format(items),
  };
}

function safeFormat(make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  try {
    return make();
  } catch {
    return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });
  }
}

/**
 * A language's strings with the author's overrides applied (those for the catalogue, then for the exact tag):
 * what the translator reads, and what a compiled journey carries to the http function (core/i18n/words.ts).
 */
export function resolvedStrings(
  language: string,
  overrides: StringOverrides = {},
): { readonly id: LanguageId; readonly tag: string; readonly strings: Catalogue } {
  const resolved = resolveLanguage(language);
  const id = resolved.ok ? resolved.id : 'en';
  const tag = resolved.ok ? resolved.tag : 'en';
  return { id, tag, strings: { ...CATALOGUES[id], ...overrides[id], ...(tag !== id ? overrides[tag] : {}) } };
}
