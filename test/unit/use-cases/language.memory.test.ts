// The subscriber journey of a list written in Arabic or Chinese, on the in-memory adapter set: the pages,
// the confirmation and the welcome email in the list's language, right to left for Arabic, with no English
// chrome (derived from the English catalogue) left.
import { load } from 'cheerio';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import exampleConfigInput from '../../../examples/tidings.config.ts';
import { loadJourneyTemplates } from '../../../functions/adapters/fs/journey-templates.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import type { Config } from '../../../functions/core/config/schema.ts';
import { validateConfig } from '../../../functions/core/config/validate.ts';
import { translator } from '../../../functions/core/i18n/translator.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { englishChromeIn } from '../../helpers/english-chrome.ts';
import { aKeyRing, anExampleConfig, anExampleConfigIn } from '../../helpers/factories.ts';
import { aClock, linkIn, request } from '../../integration/journey/journey-env.ts';

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** What a reader reads of a page or an email: the body's text, without links' addresses. */
const words = (html: string) => {
  const $ = load(html);
  $('style, head').remove();
  return $('body').text();
};

/** Signs ada up to the podcast list, confirms, and returns every page and email of the way. */
async function journey(config: Config) {
  const clock = aClock('2026-12-01T08:00:00.000Z');
  const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });
  const tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
  const routes = tidings.app.routes({ templates: await loadJourneyTemplates(config) });
  const form = await routes(request('GET', '/subscribe?list=podcast'));
  const signUp = await routes(
    request('POST', '/subscribe', { body: { email: 'ada@example.org', name: 'Ada', list: 'podcast' } }),
  );
  const mails = async () =>
    Promise.all(tidings.adapters.transport.sent().map((m) => simpleParser(Buffer.from(m.raw))));
  const [confirmation] = await mails();
  const confirmLink = pathOf(linkIn(String(confirmation?.html ?? ''), '/confirm'));
  const confirmPage = await routes(request('GET', confirmLink));
  const confirmed = await routes(request('POST', confirmLink));
  const welcome = (await mails())[1];
  const expired = await routes(request('GET', '/confirm?token=nonsense'));
  return { form, signUp, confirmation, confirmPage, confirmed, welcome, expired };
}

type Journey = Awaited<ReturnType<typeof journey>>;
const pagesOf = (j: Journey) => [
  j.form.body,
  j.signUp.body,
  j.confirmPage.body,
  j.confirmed.body,
  j.expired.body,
];
const emailsOf = (j: Journey) => [String(j.confirmation?.html), String(j.welcome?.html)];

describe('the journey of a list in another language', () => {
  it.each([['ar'], ['zh-CN']])('%s: pages and emails keep no English chrome', async (language) => {
    // Prepare: the English chrome of the same journey for an English list, from the English catalogue.
    const english = await journey(anExampleConfig());
    const content = JSON.stringify(exampleConfigInput);
    const englishText = [...pagesOf(english), ...emailsOf(english)].map(words).join('\n');
    const chrome = englishChromeIn(englishText, content, language);
    expect(chrome).toEqual(expect.arrayContaining(['Check your inbox', 'Please confirm your subscription']));

    // Act
    const j = await journey(anExampleConfigIn(language));

    // Assess: every page and both emails, html and text parts.
    const i18n = translator(language);
    expect(j.confirmation?.subject).toBe(
      i18n.t('journey.confirmSubject', { name: 'Signal & Noise: the podcast' }),
    );
    expect(j.welcome?.subject).toBe(
      i18n.t('journey.welcomeSubject', { list: 'Signal & Noise: the podcast' }),
    );
    expect(String(j.welcome?.text)).toContain(i18n.t('email.greeting', { name: 'Ada' }));
    expect(words(j.expired.body)).toContain(i18n.t('page.linkInvalid'));
    const texts = [
      ...[...pagesOf(j), ...emailsOf(j)].map(words),
      ...[j.confirmation?.text, j.welcome?.text].map((t) => String(t).replace(/https?:\/\/\S+/g, '')),
    ];
    for (const text of texts)
      for (const fragment of chrome) expect(text, fragment).not.toMatch(new RegExp(`\\b${fragment}\\b`));
  });

  it('writes Arabic pages and emails right to left', async () => {
    const j = await journey(anExampleConfigIn('ar'));
    for (const html of [...pagesOf(j), ...emailsOf(j)]) {
      const $ = load(html);
      expect($('html').attr('dir')).toBe('rtl');
      expect($('html').attr('lang')).toBe('ar');
    }
    expect(String(j.welcome?.text).startsWith('\u200f')).toBe(true);
  });

  it('writes each list’s journey in its own language when the lists differ', async () => {
    // Prepare: the podcast in German, the essays in the site's English.
    const config = validateConfig(
      {
        ...exampleConfigInput,
        lists: exampleConfigInput.lists.map((l) => (l.id === 'podcast' ? { ...l, language: 'de' } : l)),
      },
      'test',
    );

    // Act
    const j = await journey(config);

    // Assess
    expect(j.confirmation?.subject).toBe('Bestätigen Sie Ihr Abonnement von Signal & Noise: the podcast');
    expect(String(j.confirmation?.html)).toContain('Bitte bestätigen Sie Ihr Abonnement');
    expect(String(j.welcome?.html)).toContain('Willkommen bei Signal &amp; Noise: the podcast');
  });
});
