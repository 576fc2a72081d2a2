import { describe, expect, it } from 'vitest';
import { MemoryMailTransport } from '../../functions/adapters/memory/memory-mail-transport.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../functions/ports/errors.ts';
import { describeMailTransportContract, MAIL_CONTRACT_SES } from './mail-transport.contract.ts';

describeMailTransportContract('MemoryMailTransport', async () => {
  const transport = new MemoryMailTransport({ quota: MAIL_CONTRACT_SES.quota });
  transport.refuse(MAIL_CONTRACT_SES.rejectedRecipient, 'message-rejected');
  return {
    store: {
      transport,
      sent: async () =>
        transport.sent().map((m) => ({
          messageId: m.messageId,
          source: m.from,
          destinations: [m.to],
          ...(m.configurationSet ? { configurationSet: m.configurationSet } : {}),
          tags: m.tags,
          raw: Buffer.from(m.raw),
        })),
    },
  };
});

describe('MemoryMailTransport refusing chosen addresses', () => {
  const send = (t: MemoryMailTransport, to: string) =>
    t.sendRaw('Subject: x\r\n\r\nhi\r\n', { from: 'hello@example.com', to, tags: {} }).then(
      (r) => r.messageId,
      (e: unknown) => e,
    );

  it.each([
    ['throttled', ThrottlingError],
    ['transient', TransientSendError],
    ['refused', SendRefusedError],
    ['invalid-address', PermanentRecipientError],
  ] as const)(
    'fails a send to an address it was told to answer %s, and keeps nothing for it',
    async (refusal, kind) => {
      const t = new MemoryMailTransport();
      t.refuse('slow@example.com', refusal);
      expect(await send(t, 'slow@example.com')).toBeInstanceOf(kind);
      expect(t.sent()).toEqual([]);
    },
  );

  it('sends to the address again once the refusal is lifted, and only then counts it', async () => {
    const t = new MemoryMailTransport();
    t.refuse('later@example.com', 'throttled');
    await send(t, 'later@example.com');
    t.refuse('later@example.com', undefined);
    const id = await send(t, 'later@example.com');
    expect(t.sent().map((m) => [m.messageId, m.to])).toEqual([[id, 'later@example.com']]);
    expect((await t.getQuota()).sentLast24Hours).toBe(1);
  });
});
