// Time-zone waves on the in-memory adapter set: a wave whose local 08:00 is now goes at the first look for
// due sends; a reader whose stored zone is not one the runtime knows goes with the list's zone; `status`
// shows each wave pending, then sent, or cancelled.
import { beforeEach, describe, expect, it } from 'vitest';
import exampleConfigInput from '../../../examples/tidings.config.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { MemoryScheduleStore } from '../../../functions/adapters/memory/memory-schedule-store.ts';
import { validateConfig } from '../../../functions/core/config/validate.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { requeueFiredWaves } from '../../../functions/use-cases/plan-waves.ts';
import { fireScheduledSend } from '../../../functions/use-cases/schedule-send.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, aPost, aSubscriber } from '../../helpers/factories.ts';
import { aClock } from '../../integration/journey/journey-env.ts';

const config = validateConfig(
  {
    ...exampleConfigInput,
    lists: exampleConfigInput.lists.map((l) =>
      l.id === 'podcast' ? { ...l, deliverAt: '08:00', timeZone: 'Europe/London' } : l,
    ),
  },
  'test config',
);
// 06:00 UTC on 10 June 2026 is 08:00 in Berlin (CEST) and 07:00 in London (BST).
const clock = aClock('2026-06-10T06:00:00.000Z');
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });
let tidings: ReturnType<typeof memoryApp>;

beforeEach(async () => {
  clock.set('2026-06-10T06:00:00.000Z');
  tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
  await tidings.adapters.subscribers.putMany([
    aSubscriber({ id: 's_berlin', email: 'berlin@example.org', timeZone: 'Europe/Berlin' }),
    aSubscriber({ id: 's_legacy', email: 'legacy@example.org', timeZone: 'Mars/Olympus' }),
  ]);
});

const sentTo = () =>
  tidings.adapters.transport
    .sent()
    .map((m) => m.to)
    .sort();

describe('waves on the memory set', () => {
  it('sends a wave due at publish time at once, and the list zone for a zone nobody knows', async () => {
    // Act
    const published = await tidings.app.publish(aPost({ id: 'now', slug: 'now', lists: ['podcast'] }));
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    const before = await tidings.app.status(editionId);
    const fired = await tidings.app.scheduled.fireDue();
    await tidings.drain();
    const first = sentTo();
    clock.set('2026-06-10T07:00:00.000Z');
    await tidings.app.scheduled.fireDue();
    await tidings.drain();
    const after = await tidings.app.status(editionId);

    // Assess
    expect(before.waves?.map((w) => [w.at, w.zones, w.state])).toEqual([
      ['2026-06-10T06:00:00.000Z', ['Europe/Berlin'], 'pending'],
      ['2026-06-10T07:00:00.000Z', ['Europe/London'], 'pending'],
    ]);
    expect(fired.map((f) => f.id)).toEqual([`${editionId}#2026-06-10T06:00:00.000Z`]);
    expect(first).toEqual(['berlin@example.org']);
    expect(sentTo()).toEqual(['berlin@example.org', 'legacy@example.org']);
    expect(after.waves?.map((w) => w.state)).toEqual(['sent', 'sent']);
    expect(after.complete).toBe(true);
  });

  it('cancelling a wave sends nothing to its readers, the others still go, and the edition completes', async () => {
    const published = await tidings.app.publish(aPost({ id: 'cancel', slug: 'cancel', lists: ['podcast'] }));
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    const london = `${editionId}#2026-06-10T07:00:00.000Z`;
    await tidings.app.scheduled.cancel(london);
    const cancelled = await tidings.app.status(editionId);
    await expect(tidings.app.scheduled.cancel(london)).rejects.toMatchObject({
      code: 'SCHEDULED_SEND_NOT_FOUND',
    });
    clock.set('2026-06-11T00:00:00.000Z');
    await tidings.app.scheduled.fireDue();
    await tidings.drain();
    const after = await tidings.app.status(editionId);
    expect(sentTo()).toEqual(['berlin@example.org']);
    // The cancelled wave's reader leaves the count at once; the edition waits only for Berlin's wave.
    expect(cancelled.waves?.map((w) => [w.zones, w.state])).toEqual([
      [['Europe/Berlin'], 'pending'],
      [['Europe/London'], 'cancelled'],
    ]);
    expect(cancelled.counters.planned).toBe(1);
    expect(cancelled.complete).toBe(false);
    expect(after.waves?.map((w) => w.state)).toEqual(['sent', 'cancelled']);
    expect(after.counters).toMatchObject({ planned: 1, sent: 1 });
    expect(after.complete).toBe(true);
  });

  it('completes an edition whose last waiting wave is cancelled, its other waves sent', async () => {
    const published = await tidings.app.publish(aPost({ id: 'last', slug: 'last', lists: ['podcast'] }));
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    await tidings.app.scheduled.fireDue(); // Berlin's wave (06:00 UTC)
    await tidings.drain();
    const waiting = await tidings.app.status(editionId);
    await tidings.app.scheduled.cancel(`${editionId}#2026-06-10T07:00:00.000Z`);
    const after = await tidings.app.status(editionId);
    expect(waiting.complete).toBe(false);
    expect(after.waves?.map((w) => w.state)).toEqual(['sent', 'cancelled']);
    expect(after.complete).toBe(true);
    expect(after.status).toBe('completed');
    expect(sentTo()).toEqual(['berlin@example.org']);
  });

  it('after a restart that lost the queue, re-queues only the waves that fired: nobody early, nobody twice', async () => {
    await tidings.adapters.subscribers.put(
      aSubscriber({ id: 's_tokyo', email: 'tokyo@example.org', timeZone: 'Asia/Tokyo' }),
    );
    const published = await tidings.app.publish(
      aPost({ id: 'restart', slug: 'restart', lists: ['podcast'] }),
    );
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    await tidings.app.scheduled.fireDue(); // Berlin's wave (06:00 UTC) only
    // The restart: what recovery does for an edition sent in waves (local/recover.ts).
    const requeued = await requeueFiredWaves(tidings.adapters, editionId);
    await tidings.drain();
    expect(requeued).toBe(1);
    expect(sentTo()).toEqual(['berlin@example.org']);
    expect((await tidings.app.status(editionId)).waves?.map((w) => [w.zones, w.state])).toEqual([
      [['Europe/Berlin'], 'sent'],
      [['Europe/London'], 'pending'],
      [['Asia/Tokyo'], 'pending'],
    ]);
  });

  it('a wave woken before its edition is planned waits for it, then goes once', async () => {
    // Prepare
    const schedules = new MemoryScheduleStore();
    const released: string[] = [];
    let planned = false;
    const deps = {
      schedules,
      clock,
      publish: async () => {
        throw new Error('a wave publishes nothing');
      },
      releaseWave: async (w: { readonly id: string }) => {
        released.push(w.id);
      },
      isPlanned: async () => planned,
    };
    const wave = {
      editionId: 'p-e',
      listId: 'podcast',
      firstBatch: 0,
      batches: 1,
      readers: 1,
      zones: ['UTC'],
    };
    await schedules.put({
      id: 'p-e#2026-06-10T06:00:00.000Z',
      post: aPost(),
      at: '2026-06-10T06:00:00.000Z',
      scheduledAt: '2026-06-10T06:00:00.000Z',
      wave,
    });
    // Act
    const early = await fireScheduledSend(deps, 'p-e#2026-06-10T06:00:00.000Z');
    planned = true;
    const onTime = await fireScheduledSend(deps, 'p-e#2026-06-10T06:00:00.000Z');
    const again = await fireScheduledSend(deps, 'p-e#2026-06-10T06:00:00.000Z');
    // Assess
    expect(early).toMatchObject({ error: 'edition p-e is not planned yet; the wave waits for it' });
    expect(onTime).toMatchObject({ wave: { editionId: 'p-e', readers: 1 } });
    expect(again).toEqual({ id: 'p-e#2026-06-10T06:00:00.000Z', skipped: 'gone' });
    expect(released).toEqual(['p-e#2026-06-10T06:00:00.000Z']);
  });
});
