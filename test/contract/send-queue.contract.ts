import { describe, expect, it } from 'vitest';
import type { SendBatchMessage, SendQueue } from '../../functions/ports/send-queue.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/** A send queue with a way to see what a sender would receive from it. */
export interface SendQueueSubject {
  readonly queue: SendQueue;
  /** Receives (and acknowledges) every message visible now, until the queue answers empty. */
  drain(): Promise<SendBatchMessage[]>;
}

export function batches(n: number, editionId = 'ed-q'): SendBatchMessage[] {
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

/**
 * What every SendQueue does: every batch lands, with its recipients; a batch of more than 50 (or no)
 * recipients is refused with QueueSendError naming it, and nothing of that call is queued; a delayed
 * batch waits before a sender sees it.
 */
export function describeSendQueueContract(name: string, make: MakeSubject<SendQueueSubject>): void {
  describe(`${name} (SendQueue contract)`, () => {
    const subject = useSubject(make);

    it('puts every batch on the queue, ten per call, each with its 50 recipients', async () => {
      // Act
      await subject().queue.enqueue(batches(23));
      // Assess
      const received = await subject().drain();
      expect(received.map((b) => b.batchNo).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 23 }, (_, i) => i),
      );
      expect(received.every((b) => b.recipients.length === 50)).toBe(true);
      expect(received.find((b) => b.batchNo === 7)?.recipients[3]).toEqual({
        subscriberId: 's_7_3',
        email: 'r7-3@example.com',
      });
    });

    it('refuses a batch of more than 50 recipients', async () => {
      const [big] = batches(1, 'ed-big');
      const tooMany = {
        ...(big as SendBatchMessage),
        recipients: [...(big as SendBatchMessage).recipients, { subscriberId: 'x', email: 'x@example.com' }],
      };
      await expect(subject().queue.enqueue([tooMany])).rejects.toMatchObject({ code: 'QUEUE_SEND_FAILED' });
    });

    it('refuses a batch without recipients by its number, and queues nothing of that call', async () => {
      const [ok, empty] = batches(2, 'ed-empty');
      await expect(
        subject().queue.enqueue([ok as SendBatchMessage, { ...(empty as SendBatchMessage), recipients: [] }]),
      ).rejects.toMatchObject({ code: 'QUEUE_SEND_FAILED', failedBatches: [1] });
      expect(await subject().drain()).toEqual([]);
    });

    it('holds a delayed batch back until its delay has passed', async () => {
      await subject().queue.enqueue(batches(1, 'ed-later'), { delaySeconds: 1 });
      const early = await subject().drain();
      await new Promise((r) => setTimeout(r, 1500));
      const later = await subject().drain();
      expect(early).toEqual([]);
      expect(later.map((b) => `${b.editionId}/${b.batchNo}`)).toEqual(['ed-later/0']);
    });
  });
}
