import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSesStore, type SentMessage } from '../../../functions/local/emulators.ts';
import { localApp } from '../../../functions/wiring/local.ts';
import { aKeyRing, anExampleConfig, aSubscriber } from '../../helpers/factories.ts';
import { aDevFolder, type DevProcess, freeBasePort, REPO, startDev } from './dev-process.ts';

// Issue 13 §2: the links of an email sent by `tidings dev` open the pages `tidings dev` serves on
// 127.0.0.1 (not the production publicUrl), and keep working after a restart (fixed ports, data on disk).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&').replaceAll('&#x3D;', '=').replaceAll('&#x2F;', '/'),
  );
}

describe('the links of an email sent by tidings dev', () => {
  const folder = aDevFolder(50);
  let dev: DevProcess | undefined;
  afterAll(async () => {
    await dev?.stop();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('point at the local pages, which answer them, before and after a restart', async () => {
    // Prepare: a dev stack with one reader, and a post published through the CLI
    const port = await freeBasePort();
    dev = await startDev(folder, port);
    const local = `http://127.0.0.1:${port}`;
    const { app, adapters } = localApp(dev.info, { config: anExampleConfig(), keyRing: aKeyRing() });
    await adapters.subscribers.putMany([aSubscriber({ id: 's_ada', email: 'ada@example.org' })]);
    const publish = spawnSync(
      process.execPath,
      [join(REPO, 'bin/tidings.mjs'), 'publish', join(REPO, 'examples/posts/short-note.md'), '--no-wait'],
      { cwd: folder.dir, env: { ...process.env, TIDINGS_CONFIG: folder.config, NODE_NO_WARNINGS: '1' } },
    );
    expect(publish.stderr.toString()).toBe('');
    let mail: SentMessage | undefined;
    for (let i = 0; i < 240 && !mail; i++) {
      await sleep(250);
      mail = (await readSesStore(dev.info.sesStoreUrl)).find((m) =>
        m.destinations.includes('ada@example.org'),
      );
    }
    if (!mail?.html || !mail.raw) throw new Error('no message reached ada@example.org');

    // Act: read the links, and follow them on the dev server
    const links = hrefs(mail.html);
    const view = links.find((l) => l.includes('/archive/'));
    const preferences = links.find((l) => l.includes('/preferences'));
    const oneClick = /^List-Unsubscribe: <([^>]+)>/m.exec(mail.raw.toString('utf8'))?.[1];
    const viewPage = await fetch(view ?? '');
    const preferencesPage = await fetch(preferences ?? '');

    // Assess
    expect(dev.info.httpUrl).toBe(local);
    expect(links.filter((l) => l.includes('news.signal-noise.example.com'))).toEqual([]);
    expect(view?.startsWith(`${local}/archive/`)).toBe(true);
    expect(preferences?.startsWith(`${local}/preferences?`)).toBe(true);
    expect(oneClick?.startsWith(`${local}/unsubscribe?`)).toBe(true);
    expect(viewPage.status).toBe(200);
    expect(await viewPage.text()).toContain('A note on our new schedule');
    expect(preferencesPage.status).toBe(200);

    // Act: restart on the same ports and data, then unsubscribe in one click with the link of the old email
    await dev.stop();
    dev = await startDev(folder, port);
    const unsubscribed = await fetch(oneClick ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    // Assess: the old link still reached the right reader, whose subscription is kept on disk
    expect(unsubscribed.status).toBe(200);
    const ada = await adapters.subscribers.get('s_ada');
    expect(ada?.lists.podcast?.status).toBe('unsubscribed');
    app.destroy();
  }, 240_000);
});
