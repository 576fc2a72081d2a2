import { readdirSync } from 'node:fs';
import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { loadJourneySources } from '../../../../functions/adapters/fs/journey-templates.ts';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import { fillTemplate } from '../../../../functions/core/render/render-mjml.ts';
import { podcastPost } from '../../../fixtures/podcast-post.ts';
import { anExampleConfig } from '../../../helpers/factories.ts';

const config = anExampleConfig();
const slot = {
  greeting: 'Hi there,',
  email: 'a@example.org',
  unsubscribeUrl: 'https://x/u',
  preferencesUrl: 'https://x/p',
};

/** Every .mjml at the top of templates/ (partials are checked inside them). */
const TEMPLATE_FILES = readdirSync(DEFAULT_TEMPLATES_DIR)
  .filter((f) => f.endsWith('.mjml'))
  .map((f) => f.replace(/\.mjml$/, ''))
  .sort();

/** Fills a template with data shaped like what renderEdition or sendJourneyEmail gives it. */
async function filled(kind: string): Promise<string> {
  if (kind === 'confirm' || kind === 'welcome') return filledJourney(kind);
  if (kind !== 'post' && kind !== 'digest') {
    throw new Error(
      `templates/${kind}.mjml: no sample data in this test yet; add it so the template is validated`,
    );
  }
  const templates = await loadTemplates();
  const list = config.lists[0];
  const base = { site: config.site, list, theme: templates.theme, dir: 'ltr', webUrl: podcastPost.url, slot };
  const post = {
    ...podcastPost,
    byline: 'By Ada',
    dateLabel: 'November 20, 2026',
    cardsHtml: '',
    commentUrl: 'https://x/comments',
    commentLabel: 'Leave a comment',
  };
  const data =
    kind === 'post'
      ? { ...base, subject: 's', preheader: 'p', post }
      : {
          ...base,
          subject: 's',
          preheader: 'p',
          heading: 'h',
          posts: [{ ...post, image: podcastPost.cover }],
        };
  return fillTemplate(templates[kind], data, templates.partials);
}

async function filledJourney(kind: 'confirm' | 'welcome'): Promise<string> {
  const templates = await loadJourneySources();
  const list = config.lists[0];
  const base = { site: config.site, theme: templates.theme, dir: 'ltr', subject: 's', preheader: 'p' };
  const data =
    kind === 'confirm'
      ? {
          ...base,
          heading: 'Confirm your subscription',
          greeting: 'Hi there,',
          intro: 'Please confirm that you want these emails.',
          lists: [{ name: list?.name, description: list?.description }],
          buttonLabel: 'Confirm',
          actionUrl: 'https://x/confirm?token=t',
          note: 'If you did not ask for this, ignore this email.',
          email: 'a@example.org',
        }
      : {
          ...base,
          list: { id: list?.id, name: list?.name, description: list?.description },
          cadenceLine: 'You get every post the moment it is published.',
          slot,
        };
  return fillTemplate(templates[kind], data, templates.partials);
}

describe('templates', () => {
  it('covers every template in templates/', () => {
    expect(TEMPLATE_FILES).toEqual(expect.arrayContaining(['confirm', 'digest', 'post', 'welcome']));
  });

  it.each(TEMPLATE_FILES)(
    'the %s template passes MJML validation at level strict with 0 errors',
    async (kind) => {
      // Prepare
      const mjml = await filled(kind);
      // Act
      const soft = await mjml2html(mjml, { validationLevel: 'soft', fonts: {} });
      const strict = await mjml2html(mjml, { validationLevel: 'strict', fonts: {} });
      // Assess
      expect(soft.errors).toEqual([]);
      expect(strict.html).toContain('<html lang="en"');
    },
  );

  it('refuses a broken template with one line naming the MJML error', async () => {
    const templates = await loadTemplates();
    const broken = templates.post.replace('{{> header}}', '{{> header}}<mj-bogus />');
    const { renderMjmlTemplate } = await import('../../../../functions/core/render/render-mjml.ts');
    await expect(
      renderMjmlTemplate(broken, { site: config.site, theme: templates.theme, slot }, templates.partials),
    ).rejects.toThrow(/^MJML: .*mj-bogus/);
  });
});
