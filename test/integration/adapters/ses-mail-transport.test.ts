import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../functions/adapters/aws/clients.ts';
import { sesClientFor } from '../../../functions/adapters/aws/ses-client.ts';
import { SesQueryTransport } from '../../../functions/adapters/aws/ses-query-transport.ts';
import { readSesStore } from '../../../functions/local/emulators.ts';
import { PermanentRecipientError, ThrottlingError } from '../../../functions/ports/errors.ts';
import type { MailTransport } from '../../../functions/ports/mail-transport.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { SesMailTransport } from '../../oracles/ses-mail-transport.ts';
import { clearSesStore } from '../../oracles/ses-store.ts';

const env = useEmulators({ sendQuota: { maxSendRate: 5, max24HourSend: 50_000 } });

// The same behaviour from the AWS SDK's client (the reference) and the lean Query transport the sender uses.
const TRANSPORTS: [string, (clients: AwsClients) => MailTransport][] = [
  ['SesMailTransport (AWS SDK)', (clients) => new SesMailTransport({ ses: sesClientFor(clients) })],
  [
    'SesQueryTransport (lean)',
    (clients) =>
      new SesQueryTransport({
        region: clients.options.region,
        ...(clients.options.endpoints?.ses ? { endpoint: clients.options.endpoints.ses } : {}),
        credentials: clients.options.credentials ?? { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
  ],
];

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

describe.each(TRANSPORTS)('%s', (_name, make) => {
  it('lands the message in the SES emulator with its From, To, envelope, tags and configuration set', async () => {
    // Prepare
    await clearSesStore(env().emulators.sesStoreUrl);
    const transport = make(env().clients);
    // Act
    const raw = mime('Ada <ada@example.com>', 'Episode 42');
    const { messageId } = await transport.sendRaw(raw, {
      from: 'hello@signal-noise.example.com',
      to: 'ada@example.com',
      configurationSet: 'tidings',
      tags: { edition: 'ed-42', delivery: 'ed-42_s_ada' },
    });
    // Assess
    const [sent, ...rest] = await readSesStore(env().emulators.sesStoreUrl);
    expect(rest).toEqual([]);
    expect(sent).toMatchObject({
      messageId,
      from: '"Signal & Noise" <hello@signal-noise.example.com>',
      subject: 'Episode 42',
      destinations: ['ada@example.com'],
      source: 'hello@signal-noise.example.com',
      configurationSet: 'tidings',
      tags: { edition: 'ed-42', delivery: 'ed-42_s_ada' },
    });
    expect(sent?.to).toEqual(['"Ada" <ada@example.com>']);
    // The emulator keeps no custom headers; the raw MIME kept beside it is byte for byte what was sent.
    expect(sent?.raw?.equals(raw)).toBe(true);
    const parsed = await simpleParser(sent?.raw ?? Buffer.alloc(0));
    // mailparser folds the List-* headers into one structured 'list' header.
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: 'https://news.example.com/u/t1.abc' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
  });

  it('reports the quota SES gives', async () => {
    const quota = await make(env().clients).getQuota();
    expect(quota.maxSendRate).toBe(5);
    expect(quota.max24HourSend).toBe(50_000);
  });

  it('fails one malformed address as a permanent recipient error, and sends nothing for it', async () => {
    await clearSesStore(env().emulators.sesStoreUrl);
    const transport = make(env().clients);
    const error = await transport
      .sendRaw(mime('broken', 'x'), {
        from: 'hello@signal-noise.example.com',
        to: 'not-an-address',
        tags: {},
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentRecipientError);
    expect((error as PermanentRecipientError).reason).toBe('invalid-address');
    expect(await readSesStore(env().emulators.sesStoreUrl)).toEqual([]);
  });

  it('refuses a message tag SES would refuse, before calling SES', async () => {
    const transport = make(env().clients);
    await expect(
      transport.sendRaw(mime('a@example.com', 'x'), {
        from: 'hello@signal-noise.example.com',
        to: 'a@example.com',
        tags: { edition: 'has spaces' },
      }),
    ).rejects.toMatchObject({ code: 'SES_BAD_TAG' });
  });
});

describe.each(TRANSPORTS)('%s against an SES that rejects one recipient', (_name, make) => {
  const picky = useEmulators({ rejectRecipient: (a) => a === 'rejected@example.com' });

  it('fails that recipient as message-rejected and still sends to the next one', async () => {
    await clearSesStore(picky().emulators.sesStoreUrl);
    const transport = make(picky().clients);
    const send = (to: string) =>
      transport.sendRaw(mime(to, 'x'), { from: 'hello@signal-noise.example.com', to, tags: {} }).then(
        () => 'sent',
        (e: unknown) => e,
      );
    const rejected = await send('rejected@example.com');
    const next = await send('fine@example.com');
    expect(rejected).toBeInstanceOf(PermanentRecipientError);
    expect((rejected as PermanentRecipientError).reason).toBe('message-rejected');
    expect(next).toBe('sent');
    expect((await readSesStore(picky().emulators.sesStoreUrl)).map((m) => m.destinations)).toEqual([
      ['fine@example.com'],
    ]);
  });
});

describe.each(TRANSPORTS)('%s against an SES that enforces its rate', (_name, make) => {
  const strict = useEmulators({
    sendQuota: { maxSendRate: 3, max24HourSend: 1000 },
    enforceMaxSendRate: true,
  });

  it('turns "Maximum sending rate exceeded" into a ThrottlingError, after the allowed sends went out', async () => {
    // aws-ses-v2-local keeps one mailbox per process: empty it first.
    await clearSesStore(strict().emulators.sesStoreUrl);
    const transport = make(strict().clients);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        transport
          .sendRaw(mime(`r${i}@example.com`, 'x'), {
            from: 'hello@signal-noise.example.com',
            to: `r${i}@example.com`,
            tags: {},
          })
          .then(
            () => 'sent' as const,
            (e: unknown) => e,
          ),
      ),
    );
    const throttled = results.filter((r) => r instanceof ThrottlingError);
    expect(results.filter((r) => r === 'sent').length).toBeLessThanOrEqual(3);
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect((await readSesStore(strict().emulators.sesStoreUrl)).length).toBe(
      results.filter((r) => r === 'sent').length,
    );
  });
});
