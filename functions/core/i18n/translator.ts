import i18next, { type i18n } from 'i18next';
import { CATALOGUES, type Catalogue, directionOf, type MessageKey, resolveLanguage } from './catalogue.ts';

/** Values a message is filled with; `count` also picks the plural form. */
export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * The words of one language: messages (i18next, plurals by Intl.PluralRules), dates (Intl.DateTimeFormat)
 * and lists of names (Intl.ListFormat) in the reader's locale, and the text direction. Built once per
 * edition render (and once per language for pages, the archive and the journey emails).
 */
export interface Translator {
  /** The BCP 47 tag, canonical (`ar-EG`); what `lang` attributes carry. */
  readonly language: string;
  readonly dir: 'ltr' | 'rtl';
  /** A message, filled; plain text (the template that shows it escapes it). */
  t(key: MessageKey, values?: MessageValues): string;
  /** An ISO 8601 date as the locale writes it, long form, in UTC (posts carry a day, not a time of day). */
  date(iso: string): string;
  /**
   * Names joined as the locale joins them: "A, B, and C", "A、B和C"; `unit`: a plain enumeration, "A, B, C"
   * (Chinese, whose unit lists have no separator at all, keeps its conjunction list).
   */
  list(items: readonly string[], type?: 'conjunction' | 'unit'): string;
}

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
  const resolved = resolveLanguage(language);
  const id = resolved.ok ? resolved.id : 'en';
  const tag = resolved.ok ? resolved.tag : 'en';
  const strings: Catalogue = {
    ...CATALOGUES[id],
    ...overrides[id],
    ...(tag !== id ? overrides[tag] : {}),
  };
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
