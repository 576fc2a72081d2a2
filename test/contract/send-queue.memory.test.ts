import { describe, expect, it } from 'vitest';
import { MemorySendQueue } from '../../functions/adapters/memory/memory-send-queue.ts';
import type { SendBatchMessage } from '../../functions/ports/send-queue.ts';
import { batches, describeSendQueueContract } from './send-queue.contract.ts';

function drainOf(queue: MemorySendQueue): () => Promise<SendBatchMessage[]> {
  return async () => {
    const out: SendBatchMessage[] = [];
    for (let got = queue.receive(10); got.length > 0; got = queue.receive(10)) {
      for (const m of got) {
        out.push(m.body);
        queue.delete(m.receiptHandle);
      }
    }
    return out;
  };
}

describeSendQueueContract('MemorySendQueue', async () => {
  const queue = new MemorySendQueue();
  return { store: { queue, drain: drainOf(queue) } };
});

describe('MemorySendQueue as a local runner receives from it', () => {
  it('hands a message out once until it is released, then again with a higher receive count', async () => {
    // Prepare
    const queue = new MemorySendQueue();
    await queue.enqueue(batches(3, 'ed-run'));
    // Act
    const first = queue.receive(2);
    const rest = queue.receive(10);
    queue.release(first[0]?.receiptHandle ?? '');
    const again = queue.receive(10);
    // Assess
    expect(first.map((m) => m.body.batchNo)).toEqual([0, 1]);
    expect(rest.map((m) => m.body.batchNo)).toEqual([2]);
    expect(again.map((m) => [m.body.batchNo, m.receiveCount])).toEqual([[0, 2]]);
  });

  it('forgets a deleted message, and ignores a stale receipt handle', async () => {
    const queue = new MemorySendQueue();
    await queue.enqueue(batches(2, 'ed-ack'));
    const [a, b] = queue.receive(10);
    queue.delete(a?.receiptHandle ?? '');
    queue.delete(a?.receiptHandle ?? '');
    queue.release(b?.receiptHandle ?? '');
    expect(queue.size).toBe(1);
    expect(queue.receive(10).map((m) => m.body.batchNo)).toEqual([1]);
  });

  it('gives each receiver its own copy of the batch', async () => {
    const queue = new MemorySendQueue();
    await queue.enqueue(batches(1, 'ed-copy'));
    const [m] = queue.receive(1);
    (m?.body.recipients as { subscriberId: string; email: string }[])[0] = {
      subscriberId: 'x',
      email: 'changed@example.com',
    };
    queue.release(m?.receiptHandle ?? '');
    expect(queue.receive(1)[0]?.body.recipients[0]?.email).toBe('r0-0@example.com');
  });

  it('holds a delayed batch by the injected clock, and clamps the delay to 900 seconds as SQS does', async () => {
    let now = Date.parse('2026-04-01T08:00:00.000Z');
    const queue = new MemorySendQueue({ clock: { now: () => new Date(now) } });
    await queue.enqueue(batches(1, 'ed-delay'), { delaySeconds: 5000 });
    now += 899_000;
    const early = queue.receive(10);
    now += 1_000;
    expect(early).toEqual([]);
    expect(queue.receive(10).map((m) => m.body.editionId)).toEqual(['ed-delay']);
  });
});
