import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSesStore, readSesStore } from '../../../functions/local/emulators.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, manySubscribers, seed } from './stack.ts';

// Issue 13 §3: the local stack can run DynamoDB/SQS, SES and the sender in processes (or worker threads) of
// their own, with a mailbox that keeps only the last messages whole. The edition must still reach every
// reader exactly once, and the count of what SES accepted must stay exact past the mailbox's bound.
const LAYOUTS = [
  { name: 'processes', layout: { emulatorProcess: 'split', senderProcess: true }, otherProcesses: 3 },
  { name: 'worker threads', layout: { emulatorThread: 'split', senderThread: true }, otherProcesses: 0 },
] as const;
describe.each(LAYOUTS)(
  'the local stack with the emulators and the sender in $name of their own',
  ({ layout: APART, otherProcesses }) => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await aLocalStack({
        ...APART,
        emulators: { mailboxKeep: 50, enforceMaxSendRate: true },
        visibilityTimeoutSeconds: 30,
      });
      await seed(stack, manySubscribers(300, 'podcast', 'instant'));
    }, 120_000);
    afterAll(async () => {
      await stack?.stop();
    });

    it(`runs in ${otherProcesses} other processes`, () => {
      expect(new Set(stack.pids).size).toBe(otherProcesses);
      expect(stack.pids).not.toContain(process.pid);
    });

    it('sends each of 300 readers one message, counts 300, and keeps the last 50 whole', async () => {
      // Act
      const published = await stack.app.publish(
        aPost({ id: 'ep-apart', slug: 'ep-apart', lists: ['podcast'] }),
      );
      await stack.runner.drain(180_000);

      // Assess
      const planned = published.lists[0];
      if (planned?.action !== 'planned')
        throw new Error(`expected a planned edition, got ${planned?.action}`);
      const all = await readSesStore(stack.emulators.sesStoreUrl);
      const readers = all.map((m) => m.destinations[0]);
      const left = await stack.adapters.ledger.findStaleClaims(
        planned.editionId,
        new Date(Date.now() + 3_600_000).toISOString(),
        100,
      );
      expect(left.map((d) => d.email)).toEqual([]);
      expect(await countSesStore(stack.emulators.sesStoreUrl)).toBe(300);
      expect(all).toHaveLength(300);
      expect(new Set(readers).size).toBe(300);
      expect(all.every((m) => m.tags.edition === planned.editionId)).toBe(true);
      const whole = all.filter((m) => m.subject !== '');
      expect(whole).toHaveLength(50);
      expect(whole.every((m) => m.html?.includes('unsubscribe') && m.raw !== undefined)).toBe(true);
      expect(await stack.app.status(planned.editionId)).toMatchObject({
        complete: true,
        counters: { planned: 300, sent: 300, failed: 0 },
      });
    }, 240_000);

    it('refuses hooks the sender process cannot take, in one line', async () => {
      await expect(
        aLocalStack({ ...APART, decorate: (adapters) => ({ transport: adapters.transport }) }),
      ).rejects.toThrow('senderProcess: the sender runs in another process and cannot take decorate');
    });
  },
);
