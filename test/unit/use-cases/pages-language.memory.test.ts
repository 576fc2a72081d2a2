// The subscriber pages of a site whose lists speak different languages, on the in-memory adapter set: each
// page speaks the language of the list it is about (an Arabic list's unsubscribe page is Arabic and right to
// left, with no English chrome), a page about no one list the site's (the first list's).
import { load } from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import exampleConfigInput from '../../../examples/tidings.config.ts';
import { loadJourneyTemplates } from '../../../functions/adapters/fs/journey-templates.ts';
import { translator } from '../../../functions/core/i18n/translator.ts';
import { signToken, type TokenPurpose } from '../../../functions/core/tokens/tokens.ts';
import type { RouteTable } from '../../../functions/http/types.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { englishChromeIn } from '../../helpers/english-chrome.ts';
import { aKeyRing, anExampleConfigWithLanguages, aSubscriber } from '../../helpers/factories.ts';
import { aClock, request } from '../../integration/journey/journey-env.ts';

/** What a reader reads of a page: its text and its title. */
const words = (html: string) => {
  const $ = load(html);
  $('style').remove();
  return `${$('title').text()}\n${$('body').text()}`;
};
const langOf = (html: string) => {
  const $ = load(html);
  return [$('html').attr('lang'), $('html').attr('dir') ?? 'ltr'];
};

// The podcast list (first, so the site's language) in English, the essays list in Arabic.
const config = anExampleConfigWithLanguages({ essays: 'ar' });
const keys = aKeyRing();
const clock = aClock('2026-12-01T08:00:00.000Z');
const at = '2026-01-05T10:00:00.000Z';
const membership = { status: 'subscribed', cadence: 'weekly', updatedAt: at } as const;
const consent = { at, method: 'double-opt-in', source: 'test' };
const token = (purpose: TokenPurpose, sub: string, list?: string) =>
  signToken({ purpose, sub, ...(list ? { list } : {}), exp: 1_900_000_000 }, keys);

let routes: RouteTable;
beforeAll(async () => {
  const tidings = memoryApp({ config, keyRing: keys, clock, sendRate: 1000 });
  await tidings.adapters.subscribers.putMany([
    // Ada reads both lists; Layla only the Arabic one.
    aSubscriber({
      id: 's_ada',
      email: 'ada@example.org',
      lists: { podcast: { ...membership, consent }, essays: { ...membership, consent } },
    }),
    aSubscriber({ id: 's_layla', email: 'layla@example.org', lists: { essays: { ...membership, consent } } }),
  ]);
  routes = tidings.app.routes({ templates: await loadJourneyTemplates(config) });
});

describe('the subscriber pages of lists in different languages', () => {
  it('shows the unsubscribe page of an Arabic list’s link in Arabic, right to left, and an English list’s in English', async () => {
    // Act
    const english = await routes(
      request('GET', `/unsubscribe?token=${token('unsubscribe', 's_ada', 'podcast')}`),
    );
    const arabic = await routes(
      request('GET', `/unsubscribe?token=${token('unsubscribe', 's_ada', 'essays')}`),
    );
    const left = await routes(
      request('POST', `/unsubscribe?token=${token('unsubscribe', 's_ada', 'essays')}`, {
        body: { 'List-Unsubscribe': 'One-Click' },
        headers: { accept: 'text/html' },
      }),
    );

    // Assess
    const ar = translator('ar');
    const chrome = englishChromeIn(words(english.body), JSON.stringify(exampleConfigInput), 'ar');
    expect(chrome).toEqual(expect.arrayContaining(['Unsubscribe from']));
    expect(langOf(english.body)).toEqual(['en', 'ltr']);
    expect(langOf(arabic.body)).toEqual(['ar', 'rtl']);
    expect(langOf(left.body)).toEqual(['ar', 'rtl']);
    expect(words(arabic.body)).toContain(ar.t('page.unsubscribeTitle'));
    expect(words(left.body)).toContain(ar.t('page.unsubscribedTitle'));
    for (const page of [arabic.body, left.body]) {
      for (const fragment of chrome)
        expect(words(page), fragment).not.toMatch(new RegExp(`\\b${fragment}\\b`));
    }
    // Each page's stylesheet is allowed by its own hash (the Arabic one mirrors its sides).
    const hashOf = (res: typeof arabic) =>
      /style-src ('sha256-[^']+')/.exec(res.headers['content-security-policy'] ?? '')?.[1];
    expect(hashOf(arabic)).not.toBe(hashOf(english));
  });

  it('shows a reader’s preferences in their first list’s language, the subscribe form in its list’s', async () => {
    // Act
    const ada = await routes(request('GET', `/preferences?token=${token('preferences', 's_ada')}`));
    const layla = await routes(request('GET', `/preferences?token=${token('preferences', 's_layla')}`));
    const essaysForm = await routes(request('GET', '/subscribe?list=essays'));
    const siteForm = await routes(request('GET', '/subscribe'));
    const essaysSignUp = await routes(
      request('POST', '/subscribe', { body: { email: 'new@example.org', list: 'essays' } }),
    );

    // Assess
    expect(langOf(ada.body)).toEqual(['en', 'ltr']);
    expect(langOf(layla.body)).toEqual(['ar', 'rtl']);
    expect(words(layla.body)).toContain(translator('ar').t('page.preferencesTitle'));
    expect(langOf(essaysForm.body)).toEqual(['ar', 'rtl']);
    expect(langOf(siteForm.body)).toEqual(['en', 'ltr']);
    expect(langOf(essaysSignUp.body)).toEqual(['ar', 'rtl']);
  });
});
