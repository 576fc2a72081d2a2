import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapSesError } from '../../../functions/adapters/aws/map-ses-error.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { MailTransport } from '../../../functions/ports/mail-transport.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';
import { takeAll } from './queue.ts';

// The sender's error budget: SES refusing the From address (MessageRejected, "Email address is not
// verified" naming the sender) pauses the edition, not the readers. The emulator cannot produce that
// answer, so the transport is decorated to answer it, through the real mapping of SES errors, until the
// identity is "verified again"; everything else is the emulators.
let senderVerified = true;
function losingVerification(transport: MailTransport): MailTransport {
  return {
    getQuota: () => transport.getQuota(),
    async sendRaw(raw, opts) {
      if (senderVerified) return transport.sendRaw(raw, opts);
      const error = Object.assign(
        new Error(
          `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${opts.from}`,
        ),
        { name: 'MessageRejected' },
      );
      throw mapSesError(error, opts.to, opts.from);
    },
  };
}

describe('sendBatch when SES refuses the sender', () => {
  let stack: LocalStack;
  const readers = manySubscribers(60, 'podcast', 'instant', 0, 'budget');
  beforeAll(async () => {
    stack = await aLocalStack({
      startRunner: false,
      decorate: (adapters) => ({ transport: losingVerification(adapters.transport) }),
    });
    await seed(stack, readers);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('pauses the edition with nobody marked failed, then sends to everyone once after `editions resume`', async () => {
    // Prepare: an edition planned while the From address still worked; then it loses its verification.
    const { app, adapters } = stack;
    const published = await app.publish(
      aPost({ id: 'ep-unverified', slug: 'ep-unverified', lists: ['podcast'] }),
    );
    const outcome = published.lists[0];
    const editionId = outcome && 'editionId' in outcome ? outcome.editionId : '';
    const batches = await takeAll(stack);
    senderVerified = false;

    // Act: the sender takes each batch.
    const refused = [];
    for (const batch of batches) refused.push(await app.sendBatch(batch));

    // Assess: nothing went out, no reader is failed (or even claimed), the edition is paused with the
    // reason, and every recipient is back on the queue, delayed.
    expect(batches).toHaveLength(2);
    expect(refused.map((r) => r.editionPaused)).toEqual(['identity-not-verified', 'identity-not-verified']);
    expect(refused.reduce((n, r) => n + r.sent + r.failed, 0)).toBe(0);
    expect((await mailbox(stack)).all).toHaveLength(0);
    expect((await adapters.ledger.listByEdition(editionId, undefined, 500)).items).toEqual([]);
    expect((await app.status(editionId))?.counters.failed ?? 0).toBe(0);
    expect((await app.status(editionId)).paused).toEqual({
      by: 'edition',
      reason: 'identity-not-verified',
      at: expect.any(String),
      resume: `tidings editions resume ${editionId}`,
    });
    expect(await adapters.pauses.getEdition(editionId)).toMatchObject({
      editionId,
      listId: 'podcast',
      reason: 'identity-not-verified',
    });
    const attrs = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.info.sendQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'],
      }),
    );
    expect(Number(attrs.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)).toBe(2);
    expect(Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0)).toBe(0);

    // Act: while still paused, a batch that comes round again is not even tried; the operator verifies the
    // identity again and resumes the edition.
    const whilePaused = await app.sendBatch(batches[0] as (typeof batches)[0]);
    senderVerified = true;
    const lifted = await app.pauses.resumeEdition(editionId);
    const afterResume = [];
    for (const batch of batches) afterResume.push(await app.sendBatch(batch));

    // Assess: every reader got exactly one message.
    expect(whilePaused).toMatchObject({ paused: true, sent: 0, editionPaused: 'identity-not-verified' });
    expect(lifted?.reason).toBe('identity-not-verified');
    expect(afterResume.reduce((n, r) => n + r.sent, 0)).toBe(60);
    const box = await mailbox(stack);
    expect(box.all).toHaveLength(60);
    for (const r of readers) expect(box.countFor(r.email)).toBe(1);
    expect((await app.status(editionId)).paused).toBeUndefined();
  });
});
