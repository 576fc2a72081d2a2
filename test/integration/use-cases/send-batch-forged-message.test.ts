import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import type { RecipientOutcome } from '../../../functions/use-cases/send-batch.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

describe('sendBatch: a forged queue message', () => {
  let stack: LocalStack;
  const readers = manySubscribers(3, 'podcast', 'instant', 0, 'victim');
  const outcomes: RecipientOutcome[] = [];
  beforeAll(async () => {
    stack = await aLocalStack({
      startRunner: false,
      wiring: { onSendOutcome: (_edition, outcome) => outcomes.push(outcome) },
    });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("sends nothing to an address that is not the subscriber's, and the genuine message still reaches them", async () => {
    // Prepare: plan the edition, take its batch off the queue, and forge a copy that names the first
    // reader's id with the attacker's address.
    const published = await stack.app.publish(
      aPost({ id: 'ep-forged', slug: 'ep-forged', lists: ['podcast'] }),
    );
    const planned = published.lists[0];
    const editionId = planned && 'editionId' in planned ? planned.editionId : '';
    const res = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.info.sendQueueUrl, MaxNumberOfMessages: 10 }),
    );
    const genuine = JSON.parse(res.Messages?.[0]?.Body ?? '{}') as SendBatchMessage;
    const victim = readers[0] as (typeof readers)[number];
    const forged: SendBatchMessage = {
      ...genuine,
      recipients: [{ subscriberId: victim.id, email: 'attacker@evil.example' }],
    };

    // Act: the sender takes the forged message first, then the genuine one.
    const forgedResult = await stack.app.sendBatch(forged);
    const genuineResult = await stack.app.sendBatch(genuine);

    // Assess: the attacker got nothing; the victim got the edition once, at their own address.
    const box = await mailbox(stack);
    expect(box.countFor('attacker@evil.example')).toBe(0);
    expect(box.all.flatMap((m) => m.to)).not.toContain('attacker@evil.example');
    expect(forgedResult.sent).toBe(0);
    expect(outcomes).toContainEqual({ kind: 'refused', subscriberId: victim.id, reason: 'address-mismatch' });
    expect(genuineResult.sent).toBe(3);
    for (const r of readers) expect(box.countFor(r.email), r.email).toBe(1);
    expect(await stack.adapters.ledger.get({ editionId, subscriberId: victim.id })).toMatchObject({
      status: 'sent',
      email: victim.email,
    });
  });
});
