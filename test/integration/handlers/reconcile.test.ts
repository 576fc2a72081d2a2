import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makeReconcileHandler } from '../../../functions/handlers/reconcile.ts';
import { readSesStore } from '../../../functions/local/emulators.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { awsApp } from '../../../functions/wiring/aws-app.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const env = useEmulators();

describe('the reconcile handler', () => {
  it('confirms a stale claim SES reported as sent and resends one it never reported, exactly once', async () => {
    // Prepare: an edition planned for two readers whose sender died after claiming them, an hour ago.
    // SES reported a Send event for Ada's message (the feedback function recorded it); nothing for Bo's.
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
    const published = await app.publish(aPost({ id: 'ep-stale', slug: 'ep-stale', lists: ['podcast'] }));
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    const { editionId } = planned;
    const anHourAgo = '2026-03-01T11:00:00.000Z';
    await adapters.ledger.claim({ editionId, subscriberId: ada.id }, ada.email, anHourAgo);
    await adapters.ledger.claim({ editionId, subscriberId: bo.id }, bo.email, anHourAgo);
    await adapters.ledger.recordSesEvent(
      { editionId, subscriberId: ada.id },
      { type: 'Send', messageId: 'ses-accepted-ada', at: '2026-03-01T11:00:01.000Z' },
    );
    const handler = makeReconcileHandler(async () => app, quietObservability());
    // What EventBridge Scheduler invokes the function with (infra/stacks/stateless-stack.ts).
    const scheduled = { scheduledTime: '2026-03-01T12:00:00Z' };

    // Act: two overlapping scheduled runs, then a later one
    const runs = await Promise.all([handler(scheduled), handler(scheduled)]);
    const later = await handler(scheduled);

    // Assess: Ada is recorded as sent with SES's message id and gets nothing more; Bo gets exactly one message
    const sent = (await readSesStore(env().emulators.sesStoreUrl)).filter(
      (m) => m.tags.edition === editionId,
    );
    expect(sent.map((m) => m.destinations)).toEqual([[bo.email]]);
    expect(sent[0]?.tags).toMatchObject({ subscriber: bo.id, list: 'podcast' });
    expect(await adapters.ledger.get({ editionId, subscriberId: ada.id })).toMatchObject({
      status: 'sent',
      messageId: 'ses-accepted-ada',
      attempts: 1,
    });
    expect(await adapters.ledger.get({ editionId, subscriberId: bo.id })).toMatchObject({
      status: 'sent',
      messageId: sent[0]?.messageId,
      attempts: 2,
    });
    // Counted once across the overlapping runs, and the edition is complete
    const totals = runs.reduce(
      (t, r) => ({ confirmed: t.confirmed + r.confirmed, resent: t.resent + r.resent }),
      {
        confirmed: 0,
        resent: 0,
      },
    );
    expect(totals).toEqual({ confirmed: 1, resent: 1 });
    expect(await app.status(editionId)).toMatchObject({
      complete: true,
      counters: { planned: 2, sent: 2, failed: 0, skipped: 0 },
    });
    expect(later).toMatchObject({ editions: 0, confirmed: 0, resent: 0 });
  });

  it('refuses an event that is not the schedule’s payload', async () => {
    // Prepare
    const handler = makeReconcileHandler(async () => {
      throw new Error('not reached');
    }, quietObservability());
    // Act + Assess
    await expect(handler({ scheduledTime: 42 })).rejects.toThrow(/scheduledTime/);
  });
});
