import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

/** Takes every visible message off the send queue (the runner is not started: the test is the sender). */
async function takeAll(stack: LocalStack): Promise<SendBatchMessage[]> {
  const taken: SendBatchMessage[] = [];
  for (;;) {
    const res = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.info.sendQueueUrl, MaxNumberOfMessages: 10 }),
    );
    const messages = res.Messages ?? [];
    if (messages.length === 0) return taken;
    for (const m of messages) {
      taken.push(JSON.parse(m.Body ?? '{}') as SendBatchMessage);
      await stack.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: stack.info.sendQueueUrl, ReceiptHandle: m.ReceiptHandle ?? '' }),
      );
    }
  }
}

describe('sendBatch on a paused list', () => {
  let stack: LocalStack;
  const readers = manySubscribers(120, 'podcast', 'instant', 0, 'paused');
  beforeAll(async () => {
    stack = await aLocalStack({ startRunner: false });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends nothing and claims nothing while paused, then everyone gets it once after the resume', async () => {
    // Prepare: plan an edition, then pause its list before any batch is sent.
    const { app, adapters } = stack;
    const { pauses } = adapters;
    const published = await app.publish(aPost({ id: 'ep-paused', slug: 'ep-paused', lists: ['podcast'] }));
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    const batches = await takeAll(stack);
    await pauses.pause({ listId: 'podcast', reason: 'manual', at: '2026-11-20T08:00:00.000Z' });

    // Act: the sender takes each batch while the list is paused.
    const whilePaused = await Promise.all(batches.map((b) => app.sendBatch(b)));

    // Assess: nothing went out, nothing is claimed, every batch is back on the queue, delayed.
    expect(batches.length).toBe(3);
    expect(whilePaused.every((r) => r.paused && r.sent === 0 && r.returned > 0)).toBe(true);
    expect((await mailbox(stack)).all).toHaveLength(0);
    expect((await adapters.ledger.listByEdition(editionId, undefined, 500)).items).toHaveLength(0);
    expect((await app.status(editionId))?.counters.sent ?? 0).toBe(0);
    const attrs = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.info.sendQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'],
      }),
    );
    const queued =
      Number(attrs.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0) +
      Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
    expect(queued).toBe(3);

    // Act: resume; the batches come round again.
    await pauses.resume('podcast');
    const afterResume = await Promise.all(batches.map((b) => app.sendBatch(b)));

    // Assess: every reader got exactly one message.
    expect(afterResume.reduce((n, r) => n + r.sent, 0)).toBe(120);
    const box = await mailbox(stack);
    expect(box.all).toHaveLength(120);
    for (const r of readers) expect(box.countFor(r.email)).toBe(1);
  });
});
