import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../functions/core/i18n/catalogue.ts';
import type { MessageKey } from '../../../../functions/core/i18n/catalogues/en.ts';
import { resolvedStrings, translator } from '../../../../functions/core/i18n/translator.ts';
import { wordsFrom } from '../../../../functions/core/i18n/words.ts';

// The http function reads resolved strings (words.ts) instead of bundling i18next and the catalogues: it must
// say exactly what the full translator says.
describe('wordsFrom, the http function’s translator', () => {
  it.each(LANGUAGES.map((id) => [id]))('%s: says what i18next says, for every message and count', (id) => {
    const overrides = { [id]: { 'page.backTo': '← {{site}}' } };
    const full = translator(id, overrides);
    const resolved = resolvedStrings(id, overrides);
    const lean = wordsFrom({ language: resolved.tag, strings: resolved.strings });
    const keys = new Set(
      Object.keys(resolved.strings).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')),
    );
    const values = { site: 'Signal', list: 'Podcast', email: 'a••@example.org', name: 'Ada', lists: 'A, B' };
    for (const key of keys as Set<MessageKey>) {
      expect(lean.t(key, values), key).toBe(full.t(key, values));
      for (const count of [0, 1, 2, 3, 11, 100, 1_000_000])
        expect(lean.t(key, { ...values, count }), `${key} ${count}`).toBe(full.t(key, { ...values, count }));
    }
    expect(lean.t('page.backTo', values)).toBe('← Signal');
    expect(lean.dir).toBe(full.dir);
    expect(lean.date('2026-03-03T07:00:00Z')).toBe(full.date('2026-03-03T07:00:00Z'));
  });
});
