// The reconciler respects a pause, on the in-memory adapter set: a stale claim of a paused list is not
// resent while the pause holds, and is resent once it is lifted.
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

describe('reconcile on a paused list', () => {
  it('resends nothing while the list is paused, and the stale claim once it is resumed', async () => {
    // Prepare: Ada's delivery was claimed an hour ago by a sender that died; then the list paused
    const config = anExampleConfig();
    const clock = { now: () => new Date('2026-03-01T12:00:00.000Z') };
    const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });
    const { app, adapters } = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
    const ada = aSubscriber({ id: 's_ada', email: 'ada@example.org' });
    await adapters.subscribers.put(ada);
    const published = await app.publish(aPost({ id: 'ep-p', slug: 'ep-p', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    await adapters.ledger.claim(
      { editionId: planned.editionId, subscriberId: ada.id },
      ada.email,
      '2026-03-01T11:00:00.000Z',
    );
    await app.pauses.pauseList('podcast');

    // Act
    const whilePaused = await app.reconcile(planned.editionId);
    const sentWhilePaused = adapters.transport.sent().length;
    await app.pauses.resumeList('podcast');
    const afterResume = await app.reconcile(planned.editionId);

    // Assess
    expect(whilePaused).toMatchObject({ resent: 0, pending: 1 });
    expect(sentWhilePaused).toBe(0);
    expect(afterResume).toMatchObject({ resent: 1 });
    expect(adapters.transport.sent().map((m) => m.to)).toEqual(['ada@example.org']);
  });
});
