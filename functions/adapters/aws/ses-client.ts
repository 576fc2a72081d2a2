import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SESClient } from '@aws-sdk/client-ses';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsClients } from './clients.ts';

const sesClients = new WeakMap<AwsClients, SESClient>();

/**
 * The AWS SDK's SES client of a set of clients (the reference transport, SesMailTransport), built on
 * first use from the same options and closed with them. Apart from clients.ts so that the send bundle,
 * which sends through SesQueryTransport, does not hold @aws-sdk/client-ses.
 */
export function sesClientFor(clients: AwsClients): SESClient {
  let ses = sesClients.get(clients);
  if (!ses) {
    const { options } = clients;
    const maxSockets = options.maxSockets ?? 64;
    ses = new SESClient({
      region: options.region,
      requestHandler: new NodeHttpHandler({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
        connectionTimeout: 5_000,
        requestTimeout: 30_000,
      }),
      // One attempt only: an SDK retry after a timeout could send a message SES already accepted. The
      // sender decides what to retry (a throttled call, a transient error) with the ledger in hand.
      maxAttempts: 1,
      ...(options.endpoints?.ses ? { endpoint: options.endpoints.ses } : {}),
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    });
    sesClients.set(clients, ses);
    clients.own(ses);
  }
  return ses;
}
