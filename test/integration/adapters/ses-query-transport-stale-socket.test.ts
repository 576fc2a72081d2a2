import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SesQueryTransport } from '../../../functions/adapters/aws/ses-query-transport.ts';
import { TransientSendError } from '../../../functions/ports/errors.ts';

// A kept-alive socket that the server closed: the request dies before any response, SES never saw it, and
// the transport sends it once more on a new socket (issue 13: readers left `claimed` in clean runs).
const OK = `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>0102-ok</MessageId></SendRawEmailResult></SendRawEmailResponse>`;

/**
 * A stand-in SES on 127.0.0.1 that drops the connection, without a byte of answer, on the requests
 * `drop(n, socketRequest)` picks (n: the request's number overall, socketRequest: its number on its socket).
 * It counts the requests that reached it whole.
 */
async function standIn(drop: (n: number, onSocket: number) => boolean) {
  const perSocket = new WeakMap<Socket, number>();
  let n = 0;
  const answered: number[] = [];
  const server: Server = createServer((req, res) => {
    const onSocket = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, onSocket);
    n++;
    const mine = n;
    req.resume();
    req.on('end', () => {
      if (drop(mine, onSocket)) {
        req.socket.destroy();
        return;
      }
      answered.push(mine);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(OK);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const transport = new SesQueryTransport({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxSockets: 1,
  });
  return {
    transport,
    answered,
    requests: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const send = (t: SesQueryTransport, to: string) =>
  t.sendRaw('Subject: hi\r\n\r\nhello\r\n', { from: 'news@example.com', to, tags: {} });

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('SesQueryTransport on a kept-alive socket the server closed', () => {
  it('sends the message again, once, on a new socket, and SES answers it once', async () => {
    // Prepare: the second request is the first one on a reused socket; the server drops it unanswered
    const ses = await standIn((_n, onSocket) => onSocket === 2);
    stop = () => {
      ses.transport.destroy();
      return ses.close();
    };

    // Act
    const first = await send(ses.transport, 'ada@example.org');
    const second = await send(ses.transport, 'bo@example.org');

    // Assess
    expect([first.messageId, second.messageId]).toEqual(['0102-ok', '0102-ok']);
    expect(ses.requests()).toBe(3);
    expect(ses.answered).toEqual([1, 3]);
  });

  it('does not send again when a fresh socket fails: that is an unknown outcome for the reconciler', async () => {
    // Prepare: every request is dropped, the first one on a new socket included
    const ses = await standIn(() => true);
    stop = () => {
      ses.transport.destroy();
      return ses.close();
    };

    // Act
    const attempt = send(ses.transport, 'ada@example.org');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TransientSendError);
    expect(ses.requests()).toBe(1);
  });

  it('tries a reused socket only once more: a second drop is an unknown outcome', async () => {
    // Prepare: after the first answer, every request is dropped
    const ses = await standIn((n) => n > 1);
    stop = () => {
      ses.transport.destroy();
      return ses.close();
    };
    await send(ses.transport, 'ada@example.org');

    // Act
    const attempt = send(ses.transport, 'bo@example.org');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TransientSendError);
    expect(ses.requests()).toBe(3);
  });
});
