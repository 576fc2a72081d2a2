import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

describe('sendBatch: an unsubscribe while a paced batch is going out', () => {
  let stack: LocalStack;
  const readers = manySubscribers(40, 'podcast', 'instant', 0, 'midbatch');
  let sent = 0;
  let unsubscribed = false;
  beforeAll(async () => {
    // 10 messages a second: one batch of 40 takes about 4 s.
    stack = await aLocalStack({
      startRunner: false,
      wiring: {
        sendRate: 10,
        onSendOutcome: (_edition, outcome) => {
          if (outcome.kind === 'sent') sent++;
        },
      },
    });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stops the messages after the unsubscribe within the same batch, and records why', async () => {
    // Prepare: plan the edition and take its one batch off the queue.
    const published = await stack.app.publish(aPost({ id: 'ep-mid', slug: 'ep-mid', lists: ['podcast'] }));
    const planned = published.lists[0];
    const editionId = planned && 'editionId' in planned ? planned.editionId : '';
    const res = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.info.sendQueueUrl, MaxNumberOfMessages: 10 }),
    );
    const batches = (res.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as SendBatchMessage);
    expect(batches).toHaveLength(1);
    const batch = batches[0] as SendBatchMessage;
    const order = batch.recipients.map((r) => r.email);
    const lastFive = order.slice(-5);
    const leavingIds = readers.filter((r) => lastFive.includes(r.email)).map((r) => r.id);
    expect(leavingIds).toHaveLength(5);

    // Act: send the batch; once 8 messages are out, the last five readers of the batch unsubscribe.
    const watcher = (async () => {
      while (sent < 8) await new Promise((r) => setTimeout(r, 20));
      for (const id of leavingIds) {
        await stack.adapters.subscribers.setMembership(id, 'podcast', {
          status: 'unsubscribed',
          unsubscribedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        });
      }
      unsubscribed = true;
    })();
    const result = await stack.app.sendBatch(batch);
    await watcher;

    // Assess: they got nothing, everyone else got one, and the ledger says why.
    expect(unsubscribed).toBe(true);
    const box = await mailbox(stack);
    for (const email of lastFive) expect(box.countFor(email), email).toBe(0);
    for (const email of order.slice(0, -5)) expect(box.countFor(email), email).toBe(1);
    expect(result.sent).toBe(35);
    expect(result.skipped).toBe(5);
    for (const id of leavingIds) {
      expect(await stack.adapters.ledger.get({ editionId, subscriberId: id })).toMatchObject({
        status: 'skipped',
        reason: 'unsubscribed',
      });
    }
  });
});
