import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/local/templates.ts';
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

async function filled(kind: 'post' | 'digest'): Promise<string> {
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

describe('templates', () => {
  it.each(['post', 'digest'] as const)(
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
