import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { SqsSendQueue } from '../../functions/adapters/aws/sqs-send-queue.ts';
import { createQueues } from '../../functions/local/emulators.ts';
import type { SendBatchMessage } from '../../functions/ports/send-queue.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { describeSendQueueContract } from './send-queue.contract.ts';

const env = useEmulators();

describeSendQueueContract('SqsSendQueue', async () => {
  // A queue of its own, so nothing another suite sent shows up here.
  const name = `contract-send-${process.pid}`;
  const queueUrl = (await createQueues(env().clients.sqs, [name])).urls[name] ?? '';
  const sqs = env().clients.sqs;
  const drain = async (): Promise<SendBatchMessage[]> => {
    const out: SendBatchMessage[] = [];
    for (let empty = 0; empty < 2; ) {
      const res = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const msgs = res.Messages ?? [];
      if (msgs.length === 0) empty++;
      for (const m of msgs) out.push(JSON.parse(m.Body ?? '{}') as SendBatchMessage);
      if (msgs.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
    return out;
  };
  return { store: { queue: new SqsSendQueue({ sqs, queueUrl }), drain } };
});
