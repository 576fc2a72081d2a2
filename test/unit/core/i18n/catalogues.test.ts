import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  LANGUAGES,
  pluralForms,
  resolveLanguage,
} from '../../../../functions/core/i18n/catalogue.ts';
import { en } from '../../../../functions/core/i18n/catalogues/en.ts';
import { translator } from '../../../../functions/core/i18n/translator.ts';
import { anExampleConfigIn } from '../../../helpers/factories.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The keys of a catalogue with plural keys folded to their base, and the plural forms each base has. */
function shape(catalogue: Readonly<Record<string, string>>) {
  const plain = new Set<string>();
  const plurals = new Map<string, Set<string>>();
  for (const key of Object.keys(catalogue)) {
    const form = PLURAL.exec(key)?.[1];
    if (!form) plain.add(key);
    else {
      const base = key.replace(PLURAL, '');
      plurals.set(base, (plurals.get(base) ?? new Set()).add(form));
    }
  }
  return { plain, plurals };
}

describe('the catalogues', () => {
  const english = shape(en);

  it.each(LANGUAGES.map((id) => [id]))('%s has exactly the English keys, plurals in its own forms', (id) => {
    // Prepare
    const catalogue = shape(CATALOGUES[id]);
    const forms = [...pluralForms(id)].sort();

    // Assess: the same messages as English; each plural message in exactly the forms the language uses.
    expect([...catalogue.plain].sort()).toEqual([...english.plain].sort());
    expect([...catalogue.plurals.keys()].sort()).toEqual([...english.plurals.keys()].sort());
    for (const [base, have] of catalogue.plurals) expect([...have].sort(), base).toEqual(forms);
  });

  it.each(LANGUAGES.filter((id) => id !== 'en').map((id) => [id]))(
    '%s keeps every placeholder of the English message',
    (id) => {
      const placeholders = (m: string) => [...m.matchAll(/\{\{(\w+)\}\}/g)].map((x) => x[1]).sort();
      for (const [key, value] of Object.entries(CATALOGUES[id])) {
        const base = key.replace(PLURAL, '');
        const english =
          (en as Record<string, string>)[key] ?? (en as Record<string, string>)[`${base}_other`];
        // Plural forms may spell the number out ("منشوران"), so `count` may go; nothing else may.
        const need = placeholders(english ?? '').filter((p) => !(PLURAL.test(key) && p === 'count'));
        for (const p of need) expect(placeholders(value), `${id} ${key}`).toContain(p);
      }
    },
  );
});

describe('translator', () => {
  it('picks the plural form of the count, per language', () => {
    expect(translator('en').t('email.morePosts', { count: 1 })).toBe(
      '1 more post this time, too many for one email.',
    );
    expect(translator('en').t('email.morePosts', { count: 3 })).toBe(
      '3 more posts this time, too many for one email.',
    );
    // Arabic: one, two, few (3–10) and many (11–99) are four different words.
    const ar = translator('ar');
    expect(ar.t('email.morePosts', { count: 1 })).toContain('منشور واحد آخر');
    expect(ar.t('email.morePosts', { count: 2 })).toContain('منشوران آخران');
    expect(ar.t('email.morePosts', { count: 3 })).toContain('3 منشورات أخرى');
    expect(ar.t('email.morePosts', { count: 11 })).toContain('11 منشورًا آخر');
    // Chinese has one form, with the number.
    expect(translator('zh-CN').t('email.morePosts', { count: 1 })).toBe(
      '本期还有 1 篇文章，一封邮件放不下。',
    );
    expect(translator('zh-CN').t('email.morePosts', { count: 3 })).toBe(
      '本期还有 3 篇文章，一封邮件放不下。',
    );
  });

  it('writes dates in the reader’s locale', () => {
    const iso = '2026-03-03T07:00:00Z';
    expect(translator('en').date(iso)).toBe('March 3, 2026');
    expect(translator('de').date(iso)).toBe('3. März 2026');
    expect(translator('zh-CN').date(iso)).toBe('2026年3月3日');
    expect(translator('ar').date(iso)).toMatch(/مارس/);
  });

  it('puts the author’s override over the catalogue, for the language and for the exact tag', () => {
    const strings = { es: { 'email.readMore': 'Sigue leyendo' }, 'es-MX': { 'email.listen': 'Oír' } };
    expect(translator('es-MX', strings).t('email.readMore')).toBe('Sigue leyendo');
    expect(translator('es-MX', strings).t('email.listen')).toBe('Oír');
    expect(translator('es', strings).t('email.listen')).toBe('Escuchar');
  });

  it('knows the direction of the language', () => {
    expect(translator('ar').dir).toBe('rtl');
    expect(translator('zh-CN').dir).toBe('ltr');
  });
});

describe('the config', () => {
  it('accepts a list language with a catalogue, with or without a region', () => {
    expect(anExampleConfigIn('ar-EG').lists[0]?.language).toBe('ar-EG');
    expect(resolveLanguage('zh-Hans')).toMatchObject({ ok: true, id: 'zh' });
  });

  it('refuses a language without a catalogue in one line naming the list', () => {
    expect(() => anExampleConfigIn('ja')).toThrow(
      /^examples\/tidings\.config\.ts: lists\[0\]\.language: list "podcast": no catalogue for "ja"; tidings ships en, es, de, fr, zh, ar/,
    );
    expect(() => anExampleConfigIn('zh-TW')).toThrow(
      /lists\[0\]\.language: list "podcast": no catalogue for "zh-TW"/,
    );
    expect(() => anExampleConfigIn('not a tag!')).toThrow(/is not a BCP 47 language tag/);
  });

  it('refuses an override of a key the catalogue does not have', () => {
    expect(() => anExampleConfigIn('es', { es: { 'email.readmore': 'x' } })).toThrow(
      /strings\.es\.email\.readmore: unknown string key for es/,
    );
    // Spanish has a "many" plural form; Chinese has none but "other".
    expect(() => anExampleConfigIn('es', { es: { 'email.morePosts_many': 'x' } })).not.toThrow();
    expect(() => anExampleConfigIn('zh', { zh: { 'email.morePosts_one': 'x' } })).toThrow(
      /unknown string key for zh/,
    );
  });
});
