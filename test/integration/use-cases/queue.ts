import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { SendBatchMessage } from '../../../functions/ports/send-queue.ts';

/** Takes every visible message off the send queue (the runner is not started: the test is the sender). */
export async function takeAll(stack: LocalStack): Promise<SendBatchMessage[]> {
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
