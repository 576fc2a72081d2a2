import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { PermanentRecipientError } from '../../functions/ports/errors.ts';
import type { MailTransport } from '../../functions/ports/mail-transport.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/** One message as it went out: the envelope, what SES keeps beside it, and the bytes. */
export interface SentMail {
  readonly messageId: string;
  readonly source?: string;
  readonly destinations: readonly string[];
  readonly configurationSet?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly raw?: Buffer;
}

/** A mail transport with a way to see what went out through it. */
export interface MailTransportSubject {
  readonly transport: MailTransport;
  /** Every message that went out so far, oldest first. */
  sent(): Promise<readonly SentMail[]>;
}

/** How the SES behind a subject must be set up: this quota, and this one recipient refused. */
export const MAIL_CONTRACT_SES = {
  quota: { maxSendRate: 5, max24HourSend: 50_000 },
  rejectedRecipient: 'rejected@example.com',
} as const;

const FROM = 'hello@signal-noise.example.com';

function mime(to: string, subject: string): Buffer {
  return Buffer.from(
    [
      'From: "Signal & Noise" <hello@signal-noise.example.com>',
      `To: ${to}`,
      `Subject: ${subject}`,
      'List-Unsubscribe: <https://news.example.com/u/t1.abc>, <mailto:unsubscribe@signal-noise.example.com>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello from the test.',
      '',
    ].join('\r\n'),
  );
}

/**
 * What every MailTransport does, as a subscriber would notice it: the message that went out is the
 * one given, byte for byte, to the one recipient given, under the message id returned; an address SES
 * refuses fails alone (PermanentRecipientError) and nothing goes out for it; a bad tag is refused first.
 */
export function describeMailTransportContract(name: string, make: MakeSubject<MailTransportSubject>): void {
  describe(`${name} (MailTransport contract)`, () => {
    const subject = useSubject(make);
    const newSince = async (before: number) => (await subject().sent()).slice(before);

    it('sends the message given, byte for byte, to its recipient, under the message id it returns', async () => {
      // Prepare
      const before = (await subject().sent()).length;
      const raw = mime('Ada <ada@example.com>', 'Episode 42');
      // Act
      const { messageId } = await subject().transport.sendRaw(raw, {
        from: FROM,
        to: 'ada@example.com',
        configurationSet: 'tidings',
        tags: { edition: 'ed-42', delivery: 'ed-42_s_ada' },
      });
      // Assess
      const [sent, ...rest] = await newSince(before);
      expect(rest).toEqual([]);
      expect(messageId).not.toBe('');
      expect(sent).toMatchObject({
        messageId,
        source: FROM,
        destinations: ['ada@example.com'],
        configurationSet: 'tidings',
        tags: { edition: 'ed-42', delivery: 'ed-42_s_ada' },
      });
      expect(sent?.raw?.equals(raw)).toBe(true);
      const parsed = await simpleParser(sent?.raw ?? Buffer.alloc(0));
      expect(parsed.subject).toBe('Episode 42');
      expect(parsed.headers.get('list')).toMatchObject({
        unsubscribe: { url: 'https://news.example.com/u/t1.abc' },
        'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      });
    });

    it('gives each message its own id, and sends a message given as 7-bit text as the same bytes', async () => {
      const before = (await subject().sent()).length;
      const text = mime('bob@example.com', 'Text').toString('latin1');
      const a = await subject().transport.sendRaw(text, { from: FROM, to: 'bob@example.com', tags: {} });
      const b = await subject().transport.sendRaw(mime('cy@example.com', 'Bytes'), {
        from: FROM,
        to: 'cy@example.com',
        tags: {},
      });
      const sent = await newSince(before);
      expect(a.messageId).not.toBe(b.messageId);
      expect(sent.map((m) => [m.messageId, m.destinations])).toEqual([
        [a.messageId, ['bob@example.com']],
        [b.messageId, ['cy@example.com']],
      ]);
      expect(sent[0]?.raw?.toString('latin1')).toBe(text);
    });

    it('reports the quota SES gives, and how many it sent', async () => {
      const quota = await subject().transport.getQuota();
      expect(quota.maxSendRate).toBe(MAIL_CONTRACT_SES.quota.maxSendRate);
      expect(quota.max24HourSend).toBe(MAIL_CONTRACT_SES.quota.max24HourSend);
      expect(quota.sentLast24Hours).toBe((await subject().sent()).length);
    });

    it('fails one malformed address as a permanent recipient error, and sends nothing for it', async () => {
      const before = (await subject().sent()).length;
      const error = await subject()
        .transport.sendRaw(mime('broken', 'x'), { from: FROM, to: 'not-an-address', tags: {} })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentRecipientError);
      expect((error as PermanentRecipientError).reason).toBe('invalid-address');
      expect(await newSince(before)).toEqual([]);
    });

    it('fails a recipient SES rejects as message-rejected and still sends to the next one', async () => {
      const before = (await subject().sent()).length;
      const send = (to: string) =>
        subject()
          .transport.sendRaw(mime(to, 'x'), { from: FROM, to, tags: {} })
          .then(
            () => 'sent',
            (e: unknown) => e,
          );
      const rejected = await send(MAIL_CONTRACT_SES.rejectedRecipient);
      const next = await send('fine@example.com');
      expect(rejected).toBeInstanceOf(PermanentRecipientError);
      expect((rejected as PermanentRecipientError).reason).toBe('message-rejected');
      expect(next).toBe('sent');
      expect((await newSince(before)).map((m) => m.destinations)).toEqual([['fine@example.com']]);
    });

    it('refuses a message tag SES would refuse, before sending anything', async () => {
      const before = (await subject().sent()).length;
      await expect(
        subject().transport.sendRaw(mime('a@example.com', 'x'), {
          from: FROM,
          to: 'a@example.com',
          tags: { edition: 'has spaces' },
        }),
      ).rejects.toMatchObject({ code: 'SES_BAD_TAG' });
      expect(await newSince(before)).toEqual([]);
    });
  });
}
