// The English words tidings writes itself, derived from the English catalogue (not a hand-written list), to
// check that a page or an email in another language has none of them left.
import { CATALOGUES, resolveLanguage } from '../../functions/core/i18n/catalogue.ts';
import { en } from '../../functions/core/i18n/catalogues/en.ts';

/**
 * The static pieces of every English message: each value split at its `{{placeholders}}`, trimmed of
 * punctuation, kept when it has at least two letters ("Hi", "View in browser", "more posts this time").
 */
export function englishFragments(): string[] {
  const pieces = Object.values(en).flatMap((message) => message.split(/\{\{[^}]+\}\}/));
  const cleaned = pieces
    .map((p) => p.replace(/^[\s.,:;()·?!]+|[\s.,:;()·?!]+$/g, ''))
    .filter((p) => (p.match(/[A-Za-z]/g) ?? []).length >= 2);
  return [...new Set(cleaned)];
}

/** Whether `text` contains `fragment` as whole words. */
export function containsWords(text: string, fragment: string): boolean {
  const escaped = fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z])${escaped}($|[^A-Za-z])`).test(text);
}

/**
 * The English chrome a document shows: the catalogue's fragments found in `english` (the same thing rendered
 * for an English list) that are not words of the content itself (`content`: everything the post says), nor
 * words the other language writes the same (`language`'s catalogue: "RSS").
 */
export function englishChromeIn(english: string, content: string, language: string): string[] {
  const resolved = resolveLanguage(language);
  const other = resolved.ok ? Object.values(CATALOGUES[resolved.id]).join('\n') : '';
  return englishFragments().filter(
    (f) => containsWords(english, f) && !containsWords(content, f) && !containsWords(other, f),
  );
}
