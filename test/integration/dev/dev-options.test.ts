import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localApp } from '../../../functions/wiring/local.ts';
import { aKeyRing, anExampleConfig, aSubscriber } from '../../helpers/factories.ts';
import { aDevFolder, type DevProcess, freeBasePort, REPO, startDev } from './dev-process.ts';

// `tidings dev --port`, `--fresh`, and what it says when it cannot start.
function tidingsDev(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO, 'bin/tidings.mjs'), 'dev', ...args], {
    cwd,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    timeout: 110_000,
  });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

describe('tidings dev options', () => {
  const folder = aDevFolder(50);
  let dev: DevProcess | undefined;
  let blocker: Server | undefined;
  afterAll(async () => {
    await dev?.stop();
    blocker?.close();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('refuses a --port that is not a port number, in one line', () => {
    const run = tidingsDev(folder.dir, '--config', folder.config, '--port', '80x');
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--port <n>.*'80x' is invalid.*1024 to 65532/);
  }, 120_000);

  it('says in one line which port is taken, and starts nothing', async () => {
    const base = await freeBasePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker?.listen(base + 2, '127.0.0.1', r));
    const run = tidingsDev(folder.dir, '--config', folder.config, '--port', String(base));
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `tidings: 127.0.0.1:${base + 2} (the DynamoDB emulator) is in use: stop what listens there, or give tidings dev another --port`,
    ]);
    expect(existsSync(join(folder.dir, '.tidings/data'))).toBe(false);
    blocker.close();
  }, 120_000);

  it('keeps the subscribers across a restart, --fresh starts empty, saying so, and one data dir serves one tidings dev', async () => {
    // Prepare: a subscriber, then a stop
    const port = await freeBasePort();
    dev = await startDev(folder, port);
    const first = localApp(dev.info, { config: anExampleConfig(), keyRing: aKeyRing() });
    await first.adapters.subscribers.putMany([aSubscriber({ id: 's_kept', email: 'kept@example.org' })]);
    first.app.destroy();
    await dev.stop();

    // Act
    dev = await startDev(folder, port);
    const again = localApp(dev.info, { config: anExampleConfig(), keyRing: aKeyRing() });
    const kept = await again.adapters.subscribers.get('s_kept');
    again.app.destroy();
    await dev.stop();
    dev = await startDev(folder, port, ['--fresh']);
    const fresh = localApp(dev.info, { config: anExampleConfig(), keyRing: aKeyRing() });
    const afterFresh = await fresh.adapters.subscribers.get('s_kept');
    fresh.app.destroy();
    const second = tidingsDev(folder.dir, '--config', folder.config, '--port', String(await freeBasePort()));

    // Assess
    expect(kept?.email).toBe('kept@example.org');
    expect(afterFresh).toBeUndefined();
    expect(dev.stderr()).toContain(
      'tidings dev: --fresh: deleted .tidings/data; starting with an empty table',
    );
    // A second tidings dev on the same data (other ports) is refused in one line; the first keeps running.
    expect(second.status).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([
      `tidings: .tidings/data is in use by another tidings dev (pid ${dev.child.pid}): stop it, or give this one another --data-dir`,
    ]);
    expect((await fetch(`${dev.info.httpUrl}/archive/`)).status).toBeLessThan(500);
  }, 180_000);
});
