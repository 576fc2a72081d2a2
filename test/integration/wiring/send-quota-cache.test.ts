import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../../functions/adapters/aws/clients.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import type { Clock } from '../../../functions/ports/clock.ts';
import { TransientSendError } from '../../../functions/ports/errors.ts';
import type { MailTransport } from '../../../functions/ports/mail-transport.ts';
import { decorated } from '../../../functions/wiring/adapters.ts';
import { type App, buildApp } from '../../../functions/wiring/app.ts';
import { awsAdapters } from '../../../functions/wiring/aws.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { anExampleConfig, aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from '../delivery/stack.ts';

// GetSendQuota allows about one call a second per account, and the send queue starts up to 100 senders
// at once. The quota is read through the table: one sender a minute calls SES, the others read the item.
const env = useEmulators({ sendQuota: { maxSendRate: 400, max24HourSend: 1_000_000 } });
let calls = 0;
let quotaFails = false;
function counting(transport: MailTransport): MailTransport {
  return {
    sendRaw: (raw, opts) => transport.sendRaw(raw, opts),
    async getQuota() {
      calls++;
      if (quotaFails) throw new TransientSendError('GetSendQuota failed (ServiceUnavailable)');
      return transport.getQuota();
    },
  };
}

let at = Date.parse('2026-12-01T08:00:00.000Z');
const clock: Clock = { now: () => new Date(at) };

/** One sender, as a cold start of the send function builds it: its own adapters on the shared table. */
function aSender(): App {
  const adapters = awsAdapters({
    tableName: env().tableName,
    sendQueueUrl: env().queueUrl,
    aws: {
      region: 'us-east-1',
      endpoints: env().emulators.endpoints,
      credentials: EMULATOR_CREDENTIALS,
    },
  });
  return buildApp(
    decorated(adapters, (a) => ({ transport: counting(a.transport) })),
    { config: anExampleConfig(), clock, sendRate: 50 },
  );
}

describe('applySendQuota through the table', () => {
  const senders: App[] = [];
  beforeAll(() => {
    for (let i = 0; i < 100; i++) senders.push(aSender());
  });
  afterAll(() => {
    for (const s of senders) s.destroy();
  });

  it('calls GetSendQuota once for 100 senders starting together, and again only after a minute', async () => {
    // Act: 100 cold starts at once, then 100 more 30 s later, then 100 more 61 s after the first.
    const first = await Promise.all(senders.map((s) => s.applySendQuota(100)));
    const callsAtStart = calls;
    at += 30_000;
    await Promise.all(senders.map((s) => s.applySendQuota(100)));
    const callsAfter30s = calls;
    at += 31_000;
    await Promise.all(senders.map((s) => s.applySendQuota(100)));
    // Assess: every sender paces at its share of SES's 400/s, from one call per minute.
    expect(first.every((rate) => rate === 4)).toBe(true);
    expect([callsAtStart, callsAfter30s, calls]).toEqual([1, 1, 2]);
  });

  it('keeps the pace it knows when GetSendQuota fails, instead of failing', async () => {
    // Prepare: a minute later SES does not answer.
    at += 61_000;
    quotaFails = true;
    // Act
    const rates = await Promise.all(senders.slice(0, 5).map((s) => s.applySendQuota(100)));
    // Assess: one sender tried once; all keep the last known share.
    expect(rates).toEqual([4, 4, 4, 4, 4]);
    expect(calls).toBe(3);
    quotaFails = false;
  });
});

describe('a sender whose GetSendQuota fails at cold start', () => {
  let stack: LocalStack;
  afterAll(async () => {
    await stack?.stop();
  });

  it('still sends the edition to every reader, at the configured pace', async () => {
    // Prepare: no quota was ever read, and SES does not answer GetSendQuota.
    stack = await aLocalStack({
      decorate: (adapters) => ({
        transport: {
          sendRaw: (raw, opts) => adapters.transport.sendRaw(raw, opts),
          getQuota: () => Promise.reject(new TransientSendError('GetSendQuota failed (ServiceUnavailable)')),
        },
      }),
    });
    const readers = manySubscribers(30, 'podcast', 'instant', 0, 'quota');
    await seed(stack, readers);
    // Act
    await stack.app.publish(aPost({ id: 'ep-quota', slug: 'ep-quota', lists: ['podcast'] }));
    await stack.runner.drain();
    // Assess
    const box = await mailbox(stack);
    for (const r of readers) expect(box.countFor(r.email)).toBe(1);
    expect(stack.app.sendRate()).toBe(1000);
  });
});
