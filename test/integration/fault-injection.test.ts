// Fault injection on the emulators, 2,000+ subscribers. Every SQS message is delivered twice; the sender
// "crashes" right after SES accepted 1 % of the messages (before the ledger write) and, for a few more,
// right after the claim (before calling SES); SES throttles in bursts; one address is invalid; some
// readers unsubscribe while the edition is going out. What readers got is read from the SES
// emulator's own store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/local-stack.ts';
import { ThrottlingError, TransientSendError } from '../../functions/ports/errors.ts';
import type { MailTransport } from '../../functions/ports/mail-transport.ts';
import type { ListMember } from '../../functions/ports/subscriber-store.ts';
import { aPost } from '../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './delivery/stack.ts';

const SUBSCRIBERS = 2_050;

/** A sender crash at a chosen point: not a ThrottlingError, not a permanent error; the batch just dies. */
class InjectedCrash extends Error {}

interface Faults {
  crashedAfterAccept: string[];
  crashedBeforeSend: string[];
  /** SES accepted, then the call timed out on our side: the outcome looked unknown to the sender. */
  timedOutAfterAccept: string[];
  throttled: number;
  accepted: number;
  onAccepted?: (count: number) => Promise<void>;
}

/** Wraps the SES transport: bursts of Throttling, and crashes before or after SES accepted. */
function faulty(inner: MailTransport, faults: Faults): MailTransport {
  let calls = 0;
  const crashed = new Set<string>();
  return {
    getQuota: () => inner.getQuota(),
    async sendRaw(raw, opts) {
      calls++;
      // Two bursts of 40 Throttling answers, as SES gives when the account's rate is exceeded.
      if ((calls > 300 && calls <= 340) || (calls > 1200 && calls <= 1240)) {
        faults.throttled++;
        throw new ThrottlingError('Maximum sending rate exceeded.');
      }
      const seq = Number(/(\d+)$/.exec(opts.tags.subscriber ?? '')?.[1] ?? -1);
      // ~0.5 %: the sender dies after claiming, before SES is called (nothing was sent).
      if (seq % 200 === 7 && !crashed.has(opts.to)) {
        crashed.add(opts.to);
        faults.crashedBeforeSend.push(opts.to);
        throw new InjectedCrash(`crash before SES for ${opts.to}`);
      }
      const result = await inner.sendRaw(raw, opts);
      faults.accepted++;
      await faults.onAccepted?.(faults.accepted);
      // 1 %: SES accepted, but the answer never reached us (a timeout, a reset connection).
      if (seq % 100 === 77 && !crashed.has(opts.to)) {
        crashed.add(opts.to);
        faults.timedOutAfterAccept.push(opts.to);
        throw new TransientSendError(`timed out after SES accepted ${opts.to}`);
      }
      // 1 %: SES accepted, then the sender dies before the ledger records the message id.
      if (seq % 100 === 42 && !crashed.has(opts.to)) {
        crashed.add(opts.to);
        faults.crashedAfterAccept.push(opts.to);
        throw new InjectedCrash(`crash after SES accepted ${opts.to}`);
      }
      return result;
    },
  };
}

describe('fault injection: exactly one message per eligible subscriber', () => {
  const faults: Faults = {
    crashedAfterAccept: [],
    crashedBeforeSend: [],
    timedOutAfterAccept: [],
    throttled: 0,
    accepted: 0,
  };
  let stack: LocalStack;
  const invalid = 'broken@localhost';
  const suppressed: string[] = [];
  const unsubscribedBefore: string[] = [];
  const unsubscribedMidway: ListMember[] = [];
  let editionId = '';
  let box: Awaited<ReturnType<typeof mailbox>>;

  beforeAll(async () => {
    stack = await aLocalStack({
      emulatorProcess: 'split',
      emulators: { captureRawMime: false },
      startRunner: false,
      runner: { invocationsPerMessage: 2 },
      decorate: (adapters) => ({ transport: faulty(adapters.transport, faults) }),
    });
    const readers = manySubscribers(SUBSCRIBERS, 'podcast', 'instant');
    const broken = {
      ...manySubscribers(1, 'podcast', 'instant', 9_000)[0],
      email: invalid,
    } as (typeof readers)[0];
    const before = manySubscribers(10, 'podcast', 'instant', 9_100, 'gone').map((s) => ({
      ...s,
      lists: {
        podcast: {
          ...(s.lists.podcast as NonNullable<(typeof s.lists)['podcast']>),
          status: 'unsubscribed' as const,
        },
      },
    }));
    await seed(stack, [...readers, broken, ...before]);
    unsubscribedBefore.push(...before.map((s) => s.email));
    for (const s of readers.slice(500, 520)) suppressed.push(s.email);
    await stack.adapters.suppressions.putMany(
      suppressed.map((email) => ({ email, reason: 'hard-bounce' as const, at: '2026-01-06T00:00:00.000Z' })),
    );
    // The readers planned last: they unsubscribe once 300 messages are out, long before their batch.
    const order: ListMember[] = [];
    let cursor: string | undefined;
    do {
      const page = await stack.adapters.subscribers.pageByList(
        'podcast',
        { status: 'subscribed', cadence: 'instant' },
        cursor,
        500,
      );
      order.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    const lastFive = order.filter((m) => m.email.startsWith('reader')).slice(-5);
    faults.onAccepted = async (count) => {
      if (count !== 300) return;
      for (const m of lastFive) {
        if (await stack.adapters.ledger.get({ editionId, subscriberId: m.subscriberId })) continue;
        await stack.adapters.subscribers.setMembership(m.subscriberId, 'podcast', {
          status: 'unsubscribed',
          unsubscribedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        });
        unsubscribedMidway.push(m);
      }
    };

    // A short post: the SES emulator parses every message it accepts, and that parse is the slowest part here.
    const result = await stack.app.publish(
      aPost({
        id: 'ep-faults',
        slug: 'ep-faults',
        lists: ['podcast'],
        bodyHtml: '<p>A short episode note.</p>',
        media: [],
      }),
    );
    const planned = result.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    editionId = planned.editionId;
    stack.runner.start();
    await stack.runner.drain(240_000);
    // The crashed claims are stale once the window has passed: reconcile them from SES's Send events.
    await new Promise((r) => setTimeout(r, 1_100));
    // On AWS the reconciler runs every 5 minutes, so a run that dies (the injected crash can hit a resend it
    // makes) is simply followed by the next one. Model that: up to three runs, a window apart.
    for (let run = 1; ; run++) {
      try {
        await stack.app.reconcile(editionId, { windowMs: 1_000 });
        break;
      } catch (error) {
        if (!(error instanceof InjectedCrash) || run === 3) throw error;
        await new Promise((r) => setTimeout(r, 1_100));
      }
    }
    await stack.runner.drain(30_000);
    box = await mailbox(stack);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('injected every fault it promised', () => {
    expect(faults.crashedAfterAccept.length).toBeGreaterThanOrEqual(SUBSCRIBERS / 100 - 1);
    expect(faults.crashedBeforeSend.length).toBeGreaterThan(5);
    expect(faults.timedOutAfterAccept.length).toBeGreaterThanOrEqual(SUBSCRIBERS / 100 - 1);
    expect(faults.throttled).toBe(80);
    expect(unsubscribedMidway.length).toBeGreaterThan(0);
  });

  it('gives every eligible subscriber exactly one message, counted in the SES emulator store', () => {
    const excluded = new Set([...suppressed, ...unsubscribedMidway.map((m) => m.email)]);
    const eligible = manySubscribers(SUBSCRIBERS, 'podcast', 'instant')
      .map((s) => s.email)
      .filter((e) => !excluded.has(e));
    const counts = eligible.map((e) => box.countFor(e));
    expect(counts.filter((c) => c === 0)).toHaveLength(0);
    expect(counts.filter((c) => c > 1)).toHaveLength(0);
    expect(box.all.filter((m) => m.tags.edition === editionId)).toHaveLength(eligible.length);
    // The ones that crashed after SES accepted were reconciled, not resent; the ones that crashed before were resent once.
    for (const e of [
      ...faults.crashedAfterAccept,
      ...faults.timedOutAfterAccept,
      ...faults.crashedBeforeSend,
    ])
      expect(box.countFor(e)).toBe(1);
  });

  it('sends nothing to unsubscribed, suppressed or invalid addresses', () => {
    for (const e of [
      ...unsubscribedBefore,
      ...suppressed,
      ...unsubscribedMidway.map((m) => m.email),
      invalid,
    ]) {
      expect(box.countFor(e), e).toBe(0);
    }
  });

  it('records every failure and skip with its reason, and completes the edition', async () => {
    const ledger = stack.adapters.ledger;
    const broken = await stack.adapters.subscribers.getByEmail(invalid);
    expect(await ledger.get({ editionId, subscriberId: broken?.id ?? '' })).toMatchObject({
      status: 'failed',
      reason: 'invalid-address',
    });
    for (const m of unsubscribedMidway) {
      expect(await ledger.get({ editionId, subscriberId: m.subscriberId })).toMatchObject({
        status: 'skipped',
        reason: 'unsubscribed',
      });
    }
    const status = await stack.app.status(editionId);
    const eligible = SUBSCRIBERS - suppressed.length - unsubscribedMidway.length;
    expect(status).toMatchObject({
      complete: true,
      counters: {
        planned: SUBSCRIBERS + 1,
        sent: eligible,
        failed: 1,
        failedReasons: { 'invalid-address': 1 },
        skipped: suppressed.length + unsubscribedMidway.length,
        skippedReasons: { suppressed: suppressed.length, unsubscribed: unsubscribedMidway.length },
      },
    });
  });
});
