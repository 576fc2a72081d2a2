import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface ClientOptions {
  readonly region: string;
  /** Local endpoints (the emulators); omit a key to use the real AWS endpoint for that service. */
  readonly endpoints?: {
    readonly dynamodb?: string;
    readonly sqs?: string;
    readonly ses?: string;
    readonly s3?: string;
  };
  /** Only for the emulators; on AWS the default provider chain (the Lambda role) is used. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Sockets per service kept alive; SES sends run many calls in flight. @default 64 */
  readonly maxSockets?: number;
}

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  /** lib-dynamodb DocumentClient over `dynamodb`: plain JS values in and out. */
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly ses: SESClient;
  readonly s3: S3Client;
  /** Closes every client's sockets. */
  destroy(): void;
}

/**
 * Builds the SDK clients the adapters take, with keep-alive sockets: a TLS handshake per SES call
 * would cost more than the call itself at hundreds of messages per second.
 */
export function makeClients(options: ClientOptions): AwsClients {
  const maxSockets = options.maxSockets ?? 64;
  const handler = () =>
    new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
    });
  const base = (endpoint: string | undefined) => ({
    region: options.region,
    requestHandler: handler(),
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
  });
  const dynamodb = new DynamoDBClient(base(options.endpoints?.dynamodb));
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const sqs = new SQSClient(base(options.endpoints?.sqs));
  // One attempt only: an SDK retry after a timeout could send a message SES already accepted. The
  // sender decides what to retry (a throttled call, a transient error) with the ledger in hand.
  const ses = new SESClient({ ...base(options.endpoints?.ses), maxAttempts: 1 });
  const s3 = new S3Client({ ...base(options.endpoints?.s3), forcePathStyle: Boolean(options.endpoints?.s3) });
  return {
    dynamodb,
    doc,
    sqs,
    ses,
    s3,
    destroy() {
      for (const c of [dynamodb, sqs, ses, s3]) c.destroy();
    },
  };
}

/** Credentials for the local emulators only; they accept any signature. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'tidings-local',
  secretAccessKey: 'tidings-local',
} as const;
