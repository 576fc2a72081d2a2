import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { EditionStore } from '../../../functions/ports/edition-store.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import { localApp } from '../../../functions/wiring/local.ts';
import { aKeyRing, aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

/** A sender that dies right after its ledger writes, before it adds the batch to the edition's counters. */
class InjectedCrash extends Error {}

function dyingBeforeCounters(store: EditionStore): EditionStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'addCounters') {
        return async () => {
          throw new InjectedCrash('the sender died before adding its counters');
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('reconcile: counters a dead sender never added', () => {
  let stack: LocalStack;
  const readers = manySubscribers(30, 'podcast', 'instant', 0, 'settle');
  beforeAll(async () => {
    stack = await aLocalStack({ startRunner: false });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('recounts the edition from its ledger once it has settled, and completes it', async () => {
    // Prepare: one reader bounced before the edition, so the planner leaves them out; then plan the edition;
    // its one batch is sent by a sender that dies before the counter ADD.
    const bouncedBefore = readers[29]?.email ?? '';
    await stack.adapters.suppressions.putMany([
      { email: bouncedBefore, reason: 'hard-bounce', at: '2026-11-29T06:00:00.000Z' },
    ]);
    const published = await stack.app.publish(
      aPost({ id: 'ep-settle', slug: 'ep-settle', lists: ['podcast'] }),
    );
    const planned = published.lists[0];
    const editionId = planned && 'editionId' in planned ? planned.editionId : '';
    const res = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.info.sendQueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(res.Messages).toHaveLength(1);
    const [message] = res.Messages ?? [];
    await stack.clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: stack.info.sendQueueUrl, ReceiptHandle: message?.ReceiptHandle }),
    );
    const batch = JSON.parse(message?.Body ?? '{}') as SendBatchMessage;
    // Two readers bounced after planning: the sender skips them.
    const bounced = readers.slice(0, 2).map((r) => r.email);
    await stack.adapters.suppressions.putMany(
      bounced.map((email) => ({ email, reason: 'hard-bounce' as const, at: '2026-11-29T07:00:00.000Z' })),
    );
    const dying = localApp(stack.info, {
      config: stack.app.config,
      keyRing: aKeyRing(),
      clients: stack.clients,
      decorate: (adapters) => ({ editions: dyingBeforeCounters(adapters.editions) }),
    }).app;
    await expect(dying.sendBatch(batch)).rejects.toThrow(InjectedCrash);
    const box = await mailbox(stack);
    const gotNone = [...bounced, bouncedBefore];
    for (const r of readers) expect(box.countFor(r.email), r.email).toBe(gotNone.includes(r.email) ? 0 : 1);
    expect(await stack.app.status(editionId)).toMatchObject({
      complete: false,
      counters: { planned: 30, sent: 0, skipped: 1 },
    });

    // Act: a reconcile run right away leaves it (a live sender could still be adding), a run once it
    // has settled recounts it.
    const early = await stack.app.reconcile(editionId);
    const earlyStatus = await stack.app.status(editionId);
    const settled = await stack.app.reconcile(editionId, { settleMs: 0 });

    // Assess: the counters match the ledger, the edition is complete, and nobody got a second email.
    expect(early.recounted).toBe(0);
    expect(earlyStatus.complete).toBe(false);
    expect(settled).toMatchObject({ recounted: 1, resent: 0, confirmed: 0 });
    expect(await stack.app.status(editionId)).toMatchObject({
      status: 'completed',
      complete: true,
      remaining: 0,
      counters: { planned: 30, sent: 27, failed: 0, skipped: 3, skippedReasons: { suppressed: 3 } },
    });
    const after = await mailbox(stack);
    for (const r of readers) expect(after.countFor(r.email), r.email).toBe(gotNone.includes(r.email) ? 0 : 1);
  });
});
