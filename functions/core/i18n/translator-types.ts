import type { MessageKey } from './catalogues/en.ts';

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
