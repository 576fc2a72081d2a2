import { type AwsClients, type ClientOptions, makeClients } from '../adapters/aws/clients.ts';
import { DynamoDeliveryLedger } from '../adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoEditionStore } from '../adapters/aws/dynamo-edition-store.ts';
import { DynamoFeedStateStore } from '../adapters/aws/dynamo-feed-state.ts';
import { DynamoFeedbackStore } from '../adapters/aws/dynamo-feedback-store.ts';
import { DynamoJsonClient } from '../adapters/aws/dynamo-json-client.ts';
import { DynamoListCursorStore } from '../adapters/aws/dynamo-list-cursor-store.ts';
import { DynamoPostStore } from '../adapters/aws/dynamo-post-store.ts';
import { DynamoRateLimitStore } from '../adapters/aws/dynamo-rate-limit-store.ts';
import { DynamoScheduleStore } from '../adapters/aws/dynamo-schedule-store.ts';
import { DynamoSendQuotaStore } from '../adapters/aws/dynamo-send-quota-store.ts';
import { DynamoSendingPauseStore } from '../adapters/aws/dynamo-sending-pause-store.ts';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../adapters/aws/dynamo-suppression-store.ts';
import { SesQueryTransport } from '../adapters/aws/ses-query-transport.ts';
import { SqsSendQueue } from '../adapters/aws/sqs-send-queue.ts';
import type { Adapters } from './adapters.ts';

/** Where the AWS set reads and writes: one table, one send queue. */
export interface AwsAdapterOptions {
  readonly tableName: string;
  /** The send queue; empty for processes that never enqueue (subscriber and feed commands). */
  readonly sendQueueUrl: string;
  /** SDK clients to use (the caller keeps ownership); built from `aws` when absent. */
  readonly clients?: AwsClients;
  /** Region, local endpoints (the emulators) and emulator credentials. */
  readonly aws?: ClientOptions;
}

/**
 * The DynamoDB/SQS/SES adapter set: every store in the one table, the SQS send queue, and SES through
 * the lean Query transport (ses-query-transport.ts: 2–3x the SDK's throughput in test/bench/send.bench.ts,
 * and no @aws-sdk/client-ses in the send bundle), signed with the DynamoDB client's credential provider
 * (the SDK's default chain, cached and refreshed).
 */
export function awsAdapters(options: AwsAdapterOptions): Adapters & { readonly clients: AwsClients } {
  const ownClients = !options.clients;
  const clients =
    options.clients ?? makeClients(options.aws ?? { region: process.env.AWS_REGION ?? 'us-east-1' });
  const dynamo = { doc: clients.doc, tableName: options.tableName };
  const sesOptions = clients.options;
  // The SDK's clients honour the standard AWS_ENDPOINT_URL_<SERVICE> variables themselves; the lean SES
  // transport is not an SDK client, so it is given the same choice here: an explicit endpoint, then
  // AWS_ENDPOINT_URL_SES, then AWS_ENDPOINT_URL, then SES's own.
  const sesEndpoint =
    sesOptions.endpoints?.ses ?? process.env.AWS_ENDPOINT_URL_SES ?? process.env.AWS_ENDPOINT_URL;
  const transport = new SesQueryTransport({
    region: sesOptions.region,
    ...(sesEndpoint ? { endpoint: sesEndpoint } : {}),
    credentials: sesOptions.credentials ?? (() => clients.dynamodb.config.credentials()),
    maxSockets: sesOptions.maxSockets ?? 64,
  });
  // The ledger's two writes per message (claim, result) go through the lean JSON client
  // (dynamo-json-client.ts), with the same endpoint choice as the SDK's DynamoDB client.
  const dynamoEndpoint =
    sesOptions.endpoints?.dynamodb ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  const writes = new DynamoJsonClient({
    region: sesOptions.region,
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
    credentials: sesOptions.credentials ?? (() => clients.dynamodb.config.credentials()),
    maxSockets: sesOptions.maxSockets ?? 64,
  });
  return {
    clients,
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    editions: new DynamoEditionStore(dynamo),
    ledger: new DynamoDeliveryLedger({ ...dynamo, writes }),
    posts: new DynamoPostStore(dynamo),
    cursors: new DynamoListCursorStore(dynamo),
    feedStates: new DynamoFeedStateStore(dynamo),
    feedback: new DynamoFeedbackStore(dynamo),
    rateLimits: new DynamoRateLimitStore(dynamo),
    pauses: new DynamoSendingPauseStore(dynamo),
    schedules: new DynamoScheduleStore(dynamo),
    sendQuota: new DynamoSendQuotaStore(dynamo),
    queue: new SqsSendQueue({ sqs: clients.sqs, queueUrl: options.sendQueueUrl }),
    transport,
    destroy() {
      transport.destroy();
      writes.destroy();
      if (ownClients) clients.destroy();
    },
  };
}
