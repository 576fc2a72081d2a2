import { ar } from './catalogues/ar.ts';
import { de } from './catalogues/de.ts';
import { en } from './catalogues/en.ts';
import { es } from './catalogues/es.ts';
import { fr } from './catalogues/fr.ts';
import { zh } from './catalogues/zh.ts';

export type { MessageKey } from './catalogues/en.ts';

/** One language's strings by key (flat: `email.viewInBrowser`), plural keys with their `_one`/`_other`… suffix. */
export type Catalogue = Readonly<Record<string, string>>;

/** The languages tidings ships a catalogue for; a list's `language` must resolve to one of them. */
export const LANGUAGES = ['en', 'es', 'de', 'fr', 'zh', 'ar'] as const;
export type LanguageId = (typeof LANGUAGES)[number];

/** The catalogues, by language id: data only, so they travel in every bundle that writes words. */
export const CATALOGUES: Readonly<Record<LanguageId, Catalogue>> = { en, es, de, fr, zh, ar };

export { directionOf } from './direction.ts';

/**
 * The catalogue a BCP 47 tag is written with, or why there is none: `es-MX` → `es`, `zh-CN`/`zh-Hans` →
 * `zh`; `zh-TW`/`zh-Hant` are refused (the shipped Chinese is Simplified), as is a tag that is not BCP 47.
 *
 * @example
 * resolveLanguage('ar-EG') // { ok: true, id: 'ar', tag: 'ar-EG' }
 */
export function resolveLanguage(
  tag: string,
):
  | { readonly ok: true; readonly id: LanguageId; readonly tag: string }
  | { readonly ok: false; readonly reason: string } {
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(tag);
  } catch {
    return { ok: false, reason: `"${tag}" is not a BCP 47 language tag (like "en", "es-MX" or "zh-CN")` };
  }
  const locale = new Intl.Locale(canonical);
  const id = LANGUAGES.find((l) => l === locale.language);
  const traditional =
    locale.language === 'zh' &&
    (locale.script === 'Hant' || (!locale.script && ['TW', 'HK', 'MO'].includes(locale.region ?? '')));
  if (!id || traditional) {
    return {
      ok: false,
      reason: `no catalogue for "${tag}"; tidings ships ${LANGUAGES.join(', ')} (Chinese in Simplified characters)`,
    };
  }
  return { ok: true, id, tag: canonical };
}

/** The plural forms a language uses (Intl.PluralRules), as catalogue key suffixes. */
export function pluralForms(id: LanguageId): readonly string[] {
  return new Intl.PluralRules(id).resolvedOptions().pluralCategories;
}

/** The keys an author may override for a language: exactly the keys of its catalogue. */
export function overridableKeys(id: LanguageId): ReadonlySet<string> {
  return new Set(Object.keys(CATALOGUES[id]));
}
