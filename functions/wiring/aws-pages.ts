// The adapter set of the http function: only what the subscriber pages use (subscribers, suppressions,
// rate limits, SES), so its bundle carries no SQS client and none of the sending stores (issue 12: http
// bundle ≤ 600 KB). Any other port answers with one line instead of a store it does not have.
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoRateLimitStore } from '../adapters/aws/dynamo-rate-limit-store.ts';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../adapters/aws/dynamo-suppression-store.ts';
import { SesQueryTransport } from '../adapters/aws/ses-query-transport.ts';
import { TidingsError } from '../core/errors.ts';
import type { Adapters } from './adapters.ts';

/** A port the subscriber pages never use: every call throws one line naming it. */
function unavailable<K extends keyof Adapters>(port: K): Adapters[K] {
  return new Proxy({} as Adapters[K] & object, {
    get: (_target, method) =>
      typeof method === 'symbol' || method === 'then'
        ? undefined
        : () => {
            throw new TidingsError(
              'USE_CASE_UNAVAILABLE',
              `the http function has no ${port} store (${String(method)}); this runs in another function`,
            );
          },
  });
}

/** The subscriber pages' adapters on AWS: the table through one DynamoDB client, SES through the lean transport. */
export function pagesAdapters(options: { readonly tableName: string; readonly region: string }): Adapters {
  const dynamodb = new DynamoDBClient({
    region: options.region,
    requestHandler: new NodeHttpHandler({
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
      connectionTimeout: 5_000,
      requestTimeout: 10_000,
    }),
  });
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const dynamo = { doc, tableName: options.tableName };
  // The lean SES transport is not an SDK client: it honours the standard endpoint variables as the SDK's
  // clients do (AWS_ENDPOINT_URL_SES, then AWS_ENDPOINT_URL), so the deploy rehearsal reaches the emulator.
  const sesEndpoint = process.env.AWS_ENDPOINT_URL_SES ?? process.env.AWS_ENDPOINT_URL;
  const transport = new SesQueryTransport({
    region: options.region,
    ...(sesEndpoint ? { endpoint: sesEndpoint } : {}),
    credentials: () => dynamodb.config.credentials(),
    maxSockets: 4,
  });
  return {
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    rateLimits: new DynamoRateLimitStore(dynamo),
    transport,
    editions: unavailable('editions'),
    ledger: unavailable('ledger'),
    posts: unavailable('posts'),
    cursors: unavailable('cursors'),
    feedStates: unavailable('feedStates'),
    feedback: unavailable('feedback'),
    pauses: unavailable('pauses'),
    queue: unavailable('queue'),
    sendQuota: unavailable('sendQuota'),
    schedules: unavailable('schedules'),
    destroy() {
      transport.destroy();
      dynamodb.destroy();
    },
  };
}
