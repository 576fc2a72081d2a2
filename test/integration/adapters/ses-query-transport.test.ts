import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesQueryTransport } from '../../../functions/adapters/aws/ses-query-transport.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../../functions/ports/errors.ts';

/** SES's error document, as SES v1 sends it. */
const errorXml = (type: string, code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>4a5b6c7d-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;

// What the stand-in SES answers next, and what it received.
let answer: { status: number; body: string } = { status: 200, body: '' };
const received: { headers: Record<string, unknown>; form: URLSearchParams }[] = [];

describe('SesQueryTransport against SES error replies', () => {
  let server: Server;
  let transport: SesQueryTransport;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('latin1');
      });
      req.on('end', () => {
        received.push({ headers: req.headers, form: new URLSearchParams(body) });
        res.writeHead(answer.status, { 'content-type': 'text/xml' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    transport = new SesQueryTransport({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  });
  afterAll(async () => {
    transport.destroy();
    await new Promise((r) => server.close(r));
  });

  // Bytes whose base64 holds '+', '/' and '=' padding: the form encoding must carry them intact.
  const raw = Buffer.concat([
    Buffer.from('Subject: hi\r\n\r\n'),
    Buffer.from([0xfb, 0xef, 0xbe, 0xff, 0x3f]),
  ]);
  const send = () =>
    transport
      .sendRaw(raw, {
        from: 'hello@signal-noise.example.com',
        to: 'ada+news@example.com',
        configurationSet: 'tidings',
        tags: { edition: 'ed-1', delivery: 'ed-1_s_ada' },
      })
      .catch((e: unknown) => e);

  it('sends a signed SendRawEmail with the raw bytes, envelope, configuration set and tags', async () => {
    answer = {
      status: 200,
      body: '<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>0102-abc</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></SendRawEmailResponse>',
    };
    received.length = 0;
    const result = await send();
    expect(result).toEqual({ messageId: '0102-abc' });
    expect(raw.toString('base64')).toMatch(/\+.*\/.*=$/);
    const [call] = received;
    expect(String(call?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(Object.fromEntries(call?.form ?? [])).toEqual({
      Action: 'SendRawEmail',
      Version: '2010-12-01',
      Source: 'hello@signal-noise.example.com',
      'Destinations.member.1': 'ada+news@example.com',
      ConfigurationSetName: 'tidings',
      'Tags.member.1.Name': 'edition',
      'Tags.member.1.Value': 'ed-1',
      'Tags.member.2.Name': 'delivery',
      'Tags.member.2.Value': 'ed-1_s_ada',
      'RawMessage.Data': raw.toString('base64'),
    });
  });

  it('sends a message given as 7-bit text with the same bytes, a long one after a short one', async () => {
    answer = {
      status: 200,
      body: '<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>0102-txt</MessageId></SendRawEmailResult></SendRawEmailResponse>',
    };
    received.length = 0;
    // Longer than the transport's first scratch buffer (64 KB), so it must grow, and then a short one
    // that must not carry the long one's tail.
    const long = `Subject: long\r\n\r\n${'0123456789abcdef=\r\n'.repeat(6000)}end\r\n`;
    const short = 'Subject: short\r\n\r\nhi\r\n';
    for (const text of [long, short]) {
      await transport.sendRaw(text, {
        from: 'hello@signal-noise.example.com',
        to: 'ada@example.com',
        tags: {},
      });
    }
    const data = received.map((r) =>
      Buffer.from(r.form.get('RawMessage.Data') ?? '', 'base64').toString('latin1'),
    );
    expect(long.length).toBeGreaterThan(64 * 1024);
    expect(data).toEqual([long, short]);
  });

  it.each([
    ['Throttling', 'Maximum sending rate exceeded.', 400, ThrottlingError, undefined],
    ['MessageRejected', 'Email address is not verified.', 400, PermanentRecipientError, 'message-rejected'],
    [
      'InvalidParameterValue',
      'Missing final @domain in address',
      400,
      PermanentRecipientError,
      'invalid-address',
    ],
    ['InvalidParameterValue', 'Tag value is too long', 400, SendRefusedError, undefined],
    ['AccountSendingPausedException', 'Sending paused for this account.', 400, SendRefusedError, undefined],
    ['ServiceUnavailable', 'Service is unavailable.', 503, TransientSendError, undefined],
  ])('maps %s (%s) to the port error the sender acts on', async (code, message, status, kind, reason) => {
    answer = { status, body: errorXml(status >= 500 ? 'Receiver' : 'Sender', code, message) };
    const error = await send();
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toContain(message);
    if (reason) expect((error as PermanentRecipientError).reason).toBe(reason);
  });

  it('treats a reply that is not SES XML (a proxy error page) as transient', async () => {
    answer = { status: 502, body: '<html><body>Bad gateway</body></html>' };
    expect(await send()).toBeInstanceOf(TransientSendError);
  });

  it('treats a refused connection as transient', async () => {
    const closed = new SesQueryTransport({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const error = await closed
      .sendRaw(Buffer.from('x'), { from: 'a@example.com', to: 'b@example.com', tags: {} })
      .catch((e: unknown) => e);
    closed.destroy();
    expect(error).toBeInstanceOf(TransientSendError);
  });

  it('reads GetSendQuota', async () => {
    answer = {
      status: 200,
      body: '<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><SentLast24Hours>12.0</SentLast24Hours><Max24HourSend>50000.0</Max24HourSend><MaxSendRate>14.0</MaxSendRate></GetSendQuotaResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetSendQuotaResponse>',
    };
    expect(await transport.getQuota()).toEqual({
      maxSendRate: 14,
      max24HourSend: 50_000,
      sentLast24Hours: 12,
    });
  });
});
