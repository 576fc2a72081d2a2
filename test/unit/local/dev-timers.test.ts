// `tidings dev`'s timers on the in-memory adapter set: a scheduled send goes out when its time comes, and
// the reconcile pass sends a stale claim again, as the deployed schedules do.
import { afterEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import {
  DEV_RECONCILE_WINDOW_MS,
  reconcileOnce,
  startDevTimers,
} from '../../../functions/local/dev-timers.ts';
import { systemClock } from '../../../functions/ports/clock.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const config = anExampleConfig();
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock });

/** Waits until `done()` holds, checking every 50 ms, for at most 10 s. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gave up waiting');
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('tidings dev timers', () => {
  it('publish a scheduled post once its time has come, and not before', async () => {
    // Prepare
    const tidings = memoryApp({ config, keyRing: aKeyRing(), render, sendRate: 1000 });
    await tidings.adapters.subscribers.put(aSubscriber({ id: 's_ada', email: 'ada@example.org' }));
    const at = new Date(Date.now() + 1_500).toISOString();
    await tidings.app.scheduled.add(aPost({ id: 'ep-t', slug: 'ep-t', lists: ['podcast'] }), at);
    const timers = startDevTimers(tidings.app, quietObservability(), { scheduleEveryMs: 100 });
    stop = () => timers.stop();

    // Act
    const waitingBefore = (await tidings.app.scheduled.list()).length;
    await until(async () => (await tidings.app.scheduled.list()).length === 0);
    await tidings.drain();

    // Assess
    expect(waitingBefore).toBe(1);
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual(['ada@example.org']);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('reconcile: a claim a dead sender left an hour ago is sent again, once', async () => {
    // Prepare
    const tidings = memoryApp({ config, keyRing: aKeyRing(), render, sendRate: 1000 });
    const ada = aSubscriber({ id: 's_ada', email: 'ada@example.org' });
    await tidings.adapters.subscribers.put(ada);
    const published = await tidings.app.publish(aPost({ id: 'ep-r', slug: 'ep-r', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error('expected a planned edition');
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await tidings.adapters.ledger.claim(
      { editionId: planned.editionId, subscriberId: ada.id },
      ada.email,
      anHourAgo,
    );

    // Act
    const first = await reconcileOnce(tidings.app, quietObservability());
    const second = await reconcileOnce(tidings.app, quietObservability());

    // Assess
    expect(first).toMatchObject({ editions: 1, resent: 1 });
    expect(second.resent).toBe(0);
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual(['ada@example.org']);
  });

  it('reconcile: locally a claim 3 minutes old is settled, one 30 s old (maybe still in flight) is not', async () => {
    // Prepare: the local window is shorter than AWS's 15 minutes, since the SES emulator records what it
    // accepted before it answers.
    const tidings = memoryApp({ config, keyRing: aKeyRing(), render, sendRate: 1000 });
    const ada = aSubscriber({ id: 's_ada', email: 'ada@example.org' });
    const bob = aSubscriber({ id: 's_bob', email: 'bob@example.org' });
    await tidings.adapters.subscribers.putMany([ada, bob]);
    const published = await tidings.app.publish(aPost({ id: 'ep-w', slug: 'ep-w', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error('expected a planned edition');
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await tidings.adapters.ledger.claim(
      { editionId: planned.editionId, subscriberId: ada.id },
      ada.email,
      ago(180_000),
    );
    await tidings.adapters.ledger.claim(
      { editionId: planned.editionId, subscriberId: bob.id },
      bob.email,
      ago(30_000),
    );

    // Act
    const run = await reconcileOnce(tidings.app, quietObservability());

    // Assess
    expect(DEV_RECONCILE_WINDOW_MS).toBeLessThan(180_000);
    expect(run.resent).toBe(1);
    expect(tidings.adapters.transport.sent().map((m) => m.to)).toEqual(['ada@example.org']);
  });
});
