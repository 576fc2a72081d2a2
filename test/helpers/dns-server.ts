// A DNS server on 127.0.0.1 (dns2, UDP) answering from a table of TXT and MX records, for `tidings doctor`.
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { afterAll, beforeAll } from 'vitest';

export interface DnsRecords {
  readonly txt?: Readonly<Record<string, readonly string[]>>;
  readonly mx?: Readonly<Record<string, readonly string[]>>;
}

/** Starts the server for one test file; read `server()` (`127.0.0.1:<port>`) inside tests. */
export function useDnsServer(records: () => DnsRecords): () => string {
  const { Packet } = dns2;
  let server: ReturnType<typeof dns2.createServer> | undefined;
  let address = '';
  beforeAll(async () => {
    server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        // dns2's types want a toBuffer on each record; the packet encodes plain records itself.
        const answer = (record: object) => response.answers.push(record as (typeof response.answers)[number]);
        const [question] = request.questions;
        const name = (question?.name ?? '').toLowerCase();
        const table = records();
        if (question?.type === Packet.TYPE.TXT) {
          for (const data of table.txt?.[name] ?? [])
            answer({ name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data });
        }
        if (question?.type === Packet.TYPE.MX) {
          for (const [i, exchange] of (table.mx?.[name] ?? []).entries())
            answer({
              name,
              type: Packet.TYPE.MX,
              class: Packet.CLASS.IN,
              ttl: 60,
              exchange,
              priority: 10 * (i + 1),
            });
        }
        const known = Boolean(table.txt?.[name] ?? table.mx?.[name]);
        if (!known) response.header.rcode = Packet.RCODE.NXDOMAIN;
        send(response);
      },
    });
    const listening = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    address = `127.0.0.1:${(listening.udp as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!address) throw new Error('useDnsServer(): not started yet (use it inside a test)');
    return address;
  };
}
