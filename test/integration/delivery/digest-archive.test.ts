// A digest on the emulators, with the web archive in a folder as `tidings dev` keeps it: the digest's page
// is written before the first message goes out, each email's "View in browser" opens it, and it lists
// exactly the digest's posts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArchiveTemplates } from '../../../functions/adapters/fs/archive-templates.ts';
import { FsArchiveObjects } from '../../../functions/adapters/fs/fs-archive-objects.ts';
import type { ArchiveFile } from '../../../functions/core/archive/build.ts';
import { withArchive } from '../../../functions/local/archive-route.ts';
import { readSesStore } from '../../../functions/local/emulators.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { request } from '../journey/journey-env.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

describe('a digest’s page in the archive, on the emulators', () => {
  let stack: LocalStack;
  const dir = mkdtempSync(join(tmpdir(), 'tidings-digest-archive-'));
  /** Every archive write: its paths and how many messages SES had accepted just before. */
  const writes: { paths: string[]; sentBefore: number }[] = [];
  beforeAll(async () => {
    const folder = new FsArchiveObjects(dir);
    stack = await aLocalStack({
      wiring: {
        archive: {
          objects: {
            async write(files: readonly ArchiveFile[]) {
              const sentBefore = (await readSesStore(stack.emulators.sesStoreUrl)).length;
              writes.push({ paths: files.map((f) => f.path), sentBefore });
              await folder.write(files);
            },
          },
          templates: () => loadArchiveTemplates(),
        },
      },
    });
    await seed(stack, manySubscribers(30, 'essays', 'weekly'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('writes the page before any message goes out, and every email’s View in browser opens it', async () => {
    // Prepare: two essays for the weekly digest, and a post of another list that is not in it.
    for (const [id, date] of [
      ['essay-a', '2026-11-01T08:00:00Z'],
      ['essay-b', '2026-11-02T08:00:00Z'],
    ] as const) {
      await stack.app.publish(
        aPost({ id, slug: id, title: `Essay ${id}`, lists: ['essays'], send: 'digest', date }),
      );
    }
    await stack.app.publish(aPost({ id: 'ep-1', slug: 'ep-1', title: 'Episode 1', lists: ['podcast'] }));
    await stack.runner.drain();

    // Act
    const digest = await stack.app.digest('essays', 'weekly');
    await stack.runner.drain();

    // Assess
    expect(digest.action).toBe('planned');
    if (digest.action !== 'planned') return;
    const pagePath = `digests/${digest.editionId}/index.html`;
    const written = writes.find((w) => w.paths.includes(pagePath));
    expect(written).toBeDefined();
    const sentForDigest = (await mailbox(stack)).all.filter((m) => m.tags.edition === digest.editionId);
    expect(sentForDigest).toHaveLength(30);
    // Nothing of the digest had gone out when its page was written.
    const before = (await readSesStore(stack.emulators.sesStoreUrl)).slice(0, written?.sentBefore);
    expect(before.filter((m) => m.tags.edition === digest.editionId)).toEqual([]);
    // Each email links to the page, and the page is served where the link points (as `tidings dev` does).
    const links = new Set(
      sentForDigest.map((m) => {
        const $ = load(m.html ?? '');
        return $('a')
          .filter((_, a) => $(a).text().trim() === 'View in browser')
          .attr('href');
      }),
    );
    expect([...links]).toEqual([`${stack.app.config.publicUrl}/archive/digests/${digest.editionId}/`]);
    const served = await withArchive(dir, async () => ({ status: 404, headers: {}, body: '' }))(
      request('GET', new URL([...links][0] ?? '').pathname),
    );
    expect(served.status).toBe(200);
    const $ = load(served.body);
    expect(
      $('.posts h2 a')
        .map((_, a) => $(a).text())
        .get(),
    ).toEqual(['Essay essay-b', 'Essay essay-a']);
  });
});
