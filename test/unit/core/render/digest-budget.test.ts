import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import type { Config } from '../../../../functions/core/config/schema.ts';
import { renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { anExampleConfig, aPost } from '../../../helpers/factories.ts';

const example = anExampleConfig();
const list = example.lists[0] ?? (undefined as never);

/** A week of posts, each with a cover and a long excerpt: 40 cards do not fit a 40 KB budget. */
const posts = Array.from({ length: 40 }, (_, i) =>
  aPost({
    id: `p${i}`,
    slug: `post-${i}`,
    title: `Post number ${i} of the week`,
    url: `https://signal-noise.example.com/p/post-${i}`,
    excerpt: `Excerpt ${i}: ${'words that go on '.repeat(20)}`,
    cover: { url: `https://signal-noise.example.com/img/${i}.jpg`, alt: `Cover ${i}` },
    date: new Date(Date.UTC(2026, 10, 29, 12, 0, 0) - i * 3_600_000).toISOString(),
  }),
);

async function digestWith(budgetKb: number) {
  const config: Config = { ...example, sending: { ...example.sending, htmlBudgetKb: budgetKb } };
  return renderEdition({
    kind: 'digest',
    posts,
    list,
    config,
    templates: await loadTemplates(),
    editionId: 'digest-budget',
    now: new Date('2026-11-29T18:00:00Z'),
  });
}

describe('renderEdition: a digest over the size budget', () => {
  it('keeps the newest posts that fit, links to the rest on the digest’s page, and warns GMAIL_CLIP_RISK', async () => {
    // Act
    const edition = await digestWith(40);

    // Assess: under the budget, the first posts in, the last ones out, and a link to the digest's page (in
    // the web archive, where all 40 are listed) for them.
    expect(edition.bytes.html).toBeLessThanOrEqual(40 * 1024);
    expect(edition.html).toContain('Post number 0 of the week');
    expect(edition.html).not.toContain('Post number 39 of the week');
    const kept = posts.filter((p) => edition.html.includes(`${p.title}<`)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(40);
    expect(edition.html).toContain(`${40 - kept} more posts this time`);
    const digestPage = `${example.publicUrl}/archive/digests/digest-budget/`;
    expect(edition.html).toMatch(new RegExp(`href="${digestPage}"[^>]*>\\s*Read them on`));
    expect(edition.text).toContain(`${40 - kept} more posts this time`);
    const clip = edition.warnings.find((w) => w.code === 'GMAIL_CLIP_RISK');
    expect(clip?.message).toContain(`keeps the first ${kept} of 40 posts`);
    // Every post kept is whole: its "Read more" link is there.
    for (const p of posts.slice(0, kept)) expect(edition.html).toContain(`href="${p.url}"`);
  });

  it('keeps one post and says the budget is too small when even one post does not fit', async () => {
    // Act: the smallest budget the config allows, below one card and the frame around it.
    const edition = await digestWith(20);
    // Assess: one post, a link to the 39 others, and a warning that does not claim the cut worked.
    const kept = posts.filter((p) => edition.html.includes(`${p.title}<`)).map((p) => p.title);
    expect(kept).toEqual(['Post number 0 of the week']);
    expect(edition.html).toContain('39 more posts this time');
    const clip = edition.warnings.find((w) => w.code === 'GMAIL_CLIP_RISK');
    expect(clip?.message).toMatch(
      /even its first post alone is [\d.]+ KB, so it keeps that one and links to the other 39/,
    );
    expect(clip?.message).toContain('raise sending.htmlBudgetKb');
  });

  it('sends every post, with no link to the rest and no warning, when they fit', async () => {
    const edition = await digestWith(1000);
    for (const p of posts) expect(edition.html).toContain(p.title);
    expect(edition.html).not.toContain('more posts this time');
    expect(edition.warnings.map((w) => w.code)).not.toContain('GMAIL_CLIP_RISK');
  });
});
