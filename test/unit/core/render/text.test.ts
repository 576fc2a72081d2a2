import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import { renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { htmlToPlainText } from '../../../../functions/core/render/text.ts';
import { anExampleConfig, aPost } from '../../../helpers/factories.ts';

const TWO_BUTTONS =
  '<p>Out now.</p><p class="tidings-button-row"><a class="tidings-button" href="https://open.spotify.com/show/1">Spotify</a><a class="tidings-button" href="https://podcasts.apple.com/podcast/1">Apple Podcasts</a></p><p>See you next week.</p>';

describe('the plain-text part', () => {
  it('puts two buttons of one row on separate lines, each with its link', async () => {
    // Prepare
    const config = anExampleConfig();
    const list = config.lists[0] ?? (undefined as never);
    // Act
    const edition = await renderEdition({
      kind: 'post',
      posts: [aPost({ bodyHtml: TWO_BUTTONS })],
      list,
      config,
      templates: await loadTemplates(),
      editionId: 'podcast:post:ep-42',
      now: new Date('2026-11-29T08:00:00Z'),
    });
    // Assess
    const lines = edition.text.split('\n');
    expect(lines).toContain('Spotify [https://open.spotify.com/show/1]');
    expect(lines).toContain('Apple Podcasts [https://podcasts.apple.com/podcast/1]');
    expect(edition.text).not.toMatch(/\]Apple Podcasts/);
  });

  it('keeps an ordinary link inline in its sentence', () => {
    // Act
    const text = htmlToPlainText(
      '<body><p>Read <a href="https://example.com/rfc">the RFC</a> first, then <a class="tidings-button" href="https://example.com/go">Go</a></p></body>',
    );
    // Assess
    expect(text).toBe('Read the RFC [https://example.com/rfc] first, then\nGo [https://example.com/go]\n');
  });
});
