import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { readSesStore } from '../../../functions/local/emulators.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { awsApp } from '../../../functions/wiring/aws-app.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const env = useEmulators();

describe('reconcileClaims', () => {
  it('skips a stale claim whose reader switched cadence after planning, and resends nothing to them', async () => {
    // Prepare: an instant edition planned for Ada and Bo; the sender died after claiming both, an hour
    // ago, and SES reported nothing. Bo has since switched from instant to weekly.
    const config = anExampleConfig();
    const clock = { now: () => new Date('2026-03-01T12:00:00.000Z') };
    const { app, adapters } = awsApp(
      { clients: env().clients, tableName: env().tableName, sendQueueUrl: env().queueUrl },
      {
        config,
        keyRing: aKeyRing(),
        clock,
        sendRate: 100,
        render: makeRenderFn({ config, templates: () => loadTemplates(), clock }),
      },
    );
    const ada = aSubscriber({ id: 's_ada', email: 'ada@example.org' });
    const bo = aSubscriber({ id: 's_bo', email: 'bo@example.org' });
    await adapters.subscribers.put(ada);
    await adapters.subscribers.put(bo);
    const published = await app.publish(aPost({ id: 'ep-cadence', slug: 'ep-cadence', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    const { editionId } = planned;
    const anHourAgo = '2026-03-01T11:00:00.000Z';
    await adapters.ledger.claim({ editionId, subscriberId: ada.id }, ada.email, anHourAgo);
    await adapters.ledger.claim({ editionId, subscriberId: bo.id }, bo.email, anHourAgo);
    const podcast = bo.lists.podcast;
    if (!podcast) throw new Error('Bo is on the podcast list');
    await adapters.subscribers.put({
      ...bo,
      lists: { podcast: { ...podcast, cadence: 'weekly', updatedAt: '2026-03-01T11:30:00.000Z' } },
      updatedAt: '2026-03-01T11:30:00.000Z',
    });

    // Act
    const result = await app.reconcile(editionId);

    // Assess: Ada gets the edition again; Bo gets nothing, and his delivery is skipped as cadence-changed
    const sent = (await readSesStore(env().emulators.sesStoreUrl)).filter(
      (m) => m.tags.edition === editionId,
    );
    expect(sent.map((m) => m.destinations)).toEqual([[ada.email]]);
    expect(result).toMatchObject({ resent: 1, skipped: 1, confirmed: 0, failed: 0 });
    expect(await adapters.ledger.get({ editionId, subscriberId: bo.id })).toMatchObject({
      status: 'skipped',
      reason: 'cadence-changed',
    });
    expect(await app.status(editionId)).toMatchObject({
      complete: true,
      counters: { planned: 2, sent: 1, skipped: 1, skippedReasons: { 'cadence-changed': 1 } },
    });
  });
});
