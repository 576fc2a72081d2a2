import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  /** The options the clients were built from (s3-client.ts and ses-client.ts build from them). */
  readonly options: ClientOptions;
  /** Keeps `destroy` for a client built elsewhere from these options (S3, SES). */
  own(client: { destroy(): void }): void;
  /** Closes the sockets of every client built so far. */
  destroy(): void;
}

/**
 * The SDK clients the adapters take, with keep-alive sockets (a TLS handshake per SES call would cost
 * more than the call itself at hundreds of messages per second). Each client is built on first use:
 * a process pays only for the clients it uses. S3 (s3-client.ts) and the SDK's SES client
 * (ses-client.ts) are built apart, so that the send bundle holds neither @aws-sdk/client-s3 nor
 * @aws-sdk/client-ses (it sends through ses-query-transport.ts).
 */
export function makeClients(options: ClientOptions): AwsClients {
  const maxSockets = options.maxSockets ?? 64;
  const built: { destroy(): void }[] = [];
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
  const lazy = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) {
        client = make();
        built.push(client);
      }
      return client;
    };
  };
  const dynamodb = lazy(() => new DynamoDBClient(base(options.endpoints?.dynamodb)));
  let doc: DynamoDBDocumentClient | undefined;
  const sqs = lazy(() => new SQSClient(base(options.endpoints?.sqs)));
  return {
    get dynamodb() {
      return dynamodb();
    },
    get doc() {
      doc ??= DynamoDBDocumentClient.from(dynamodb(), {
        marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      });
      return doc;
    },
    get sqs() {
      return sqs();
    },
    options,
    own(client) {
      built.push(client);
    },
    destroy() {
      for (const c of built) c.destroy();
    },
  };
}

/** Credentials for the local emulators only; they accept any signature. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'tidings-local',
  secretAccessKey: 'tidings-local',
} as const;
