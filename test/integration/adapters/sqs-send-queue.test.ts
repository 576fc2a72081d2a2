import { ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsSendQueue } from '../../../functions/adapters/aws/sqs-send-queue.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();

function batches(n: number, editionId = 'ed-q'): SendBatchMessage[] {
  return Array.from({ length: n }, (_, batchNo) => ({
    editionId,
    listId: 'podcast',
    batchNo,
    recipients: Array.from({ length: 50 }, (_, i) => ({
      subscriberId: `s_${batchNo}_${i}`,
      email: `r${batchNo}-${i}@example.com`,
    })),
  }));
}

async function drain(sqs: SQSClient, queueUrl: string): Promise<SendBatchMessage[]> {
  const out: SendBatchMessage[] = [];
  for (let empty = 0; empty < 2; ) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    const msgs = res.Messages ?? [];
    if (msgs.length === 0) empty++;
    for (const m of msgs) out.push(JSON.parse(m.Body ?? '{}') as SendBatchMessage);
  }
  return out;
}

// The behaviour every SendQueue shares is in test/contract/send-queue.contract.ts; these need an SQS
// client that fails on purpose, which only this adapter has.
describe('SqsSendQueue', () => {
  it('retries entries SQS reports as failed, and lands each batch', async () => {
    // Prepare: a client whose first SendMessageBatch reports two entries Failed (SQS can do this;
    // the emulator cannot be made to), delegating everything else to the emulator.
    const real = env().clients.sqs;
    let calls = 0;
    const flaky = {
      send: async (command: unknown) => {
        calls++;
        if (calls === 1 && command instanceof SendMessageBatchCommand) {
          const entries = command.input.Entries ?? [];
          const keep = entries.slice(2);
          const res = await real.send(new SendMessageBatchCommand({ ...command.input, Entries: keep }));
          return {
            ...res,
            Failed: entries
              .slice(0, 2)
              .map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
          };
        }
        return real.send(command as never);
      },
    } as unknown as SQSClient;
    const queue = new SqsSendQueue({ sqs: flaky, queueUrl: env().queueUrl, retryDelayMs: () => 0 });
    // Act
    await queue.enqueue(batches(10, 'ed-retry'));
    // Assess
    const received = await drain(real, env().queueUrl);
    expect(received.map((b) => b.batchNo).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls).toBe(2);
  });

  it('throws naming the batches that never made it, instead of dropping them', async () => {
    const broken = { send: async () => ({ Successful: [], Failed: [] }) } as unknown as SQSClient;
    const queue = new SqsSendQueue({ sqs: broken, queueUrl: env().queueUrl, retryDelayMs: () => 0 });
    await expect(queue.enqueue(batches(3, 'ed-lost'))).rejects.toMatchObject({
      code: 'QUEUE_SEND_FAILED',
      failedBatches: [0, 1, 2],
    });
  });
});
