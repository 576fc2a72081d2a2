import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

/** Takes the messages off the send queue, as the send function's event source does (received, then deleted). */
async function takeBatches(stack: LocalStack): Promise<SendBatchMessage[]> {
  const res = await stack.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: stack.info.sendQueueUrl, MaxNumberOfMessages: 10 }),
  );
  for (const m of res.Messages ?? []) {
    await stack.clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: stack.info.sendQueueUrl, ReceiptHandle: m.ReceiptHandle }),
    );
  }
  return (res.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as SendBatchMessage);
}

describe('sendBatch: an invocation that reaches its deadline', () => {
  let stack: LocalStack;
  const readers = manySubscribers(40, 'podcast', 'instant', 0, 'deadline');
  beforeAll(async () => {
    // 10 messages a second: one batch of 40 needs about 4 s, more than the deadline below allows.
    stack = await aLocalStack({ startRunner: false, wiring: { sendRate: 10 } });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('hands the unsent recipients back to the queue unclaimed, and the next invocation sends them once', async () => {
    // Prepare: plan the edition and take its one batch off the queue.
    const published = await stack.app.publish(aPost({ id: 'ep-dl', slug: 'ep-dl', lists: ['podcast'] }));
    const planned = published.lists[0];
    const editionId = planned && 'editionId' in planned ? planned.editionId : '';
    const [batch, ...others] = await takeBatches(stack);
    expect(others).toHaveLength(0);
    if (!batch) throw new Error('no batch was planned');

    // Act: an invocation with 1.5 s left before its deadline.
    const first = await stack.app.sendBatch(batch, { deadline: Date.now() + 1_500 });

    // Assess: part went out, the rest is one new message on the queue, and none of it was claimed.
    expect(first.outOfTime).toBe(true);
    expect(first.sent).toBeGreaterThan(0);
    expect(first.sent).toBeLessThan(40);
    expect(first.sent + first.returned).toBe(40);
    const [rest, ...more] = await takeBatches(stack);
    expect(more).toHaveLength(0);
    if (!rest) throw new Error('the unsent recipients were not put back on the queue');
    expect(rest.editionId).toBe(editionId);
    expect(rest.recipients).toHaveLength(first.returned);
    let box = await mailbox(stack);
    const sentTo = batch.recipients.filter((r) => box.countFor(r.email) === 1).map((r) => r.email);
    expect(sentTo).toHaveLength(first.sent);
    expect(rest.recipients.map((r) => r.email).sort()).toEqual(
      batch.recipients
        .map((r) => r.email)
        .filter((e) => !sentTo.includes(e))
        .sort(),
    );
    for (const r of rest.recipients) {
      expect(await stack.adapters.ledger.get({ editionId, subscriberId: r.subscriberId })).toBeUndefined();
    }

    // Act: the next invocation, with time to spare.
    const second = await stack.app.sendBatch(rest);

    // Assess: every reader has exactly one email, and the edition is complete.
    expect(second).toMatchObject({ sent: first.returned, returned: 0, outOfTime: false });
    box = await mailbox(stack);
    for (const r of batch.recipients) expect(box.countFor(r.email), r.email).toBe(1);
    expect(await stack.app.status(editionId)).toMatchObject({ status: 'completed', remaining: 0 });
  });

  it('claims and sends nothing when the deadline has already passed', async () => {
    const published = await stack.app.publish(aPost({ id: 'ep-late', slug: 'ep-late', lists: ['podcast'] }));
    const planned = published.lists[0];
    const editionId = planned && 'editionId' in planned ? planned.editionId : '';
    const [batch] = await takeBatches(stack);
    if (!batch) throw new Error('no batch was planned');
    const before = (await mailbox(stack)).all.length;

    const result = await stack.app.sendBatch(batch, { deadline: Date.now() - 1 });

    expect(result).toMatchObject({ sent: 0, returned: 40, outOfTime: true });
    expect((await mailbox(stack)).all.length).toBe(before);
    const [again] = await takeBatches(stack);
    expect(again?.recipients).toEqual(batch.recipients);
    for (const r of batch.recipients) {
      expect(await stack.adapters.ledger.get({ editionId, subscriberId: r.subscriberId })).toBeUndefined();
    }
  });
});
