import { Agent as HttpsAgent } from 'node:https';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { PostObjects } from '../../ports/post-objects.ts';
import type { AwsClients } from './clients.ts';

const s3Clients = new WeakMap<AwsClients, S3Client>();

/**
 * The S3 client of a set of clients, built on first use from the same options (Region, local endpoint,
 * emulator credentials) and closed with them. Apart from clients.ts so that only the functions that
 * read S3 (publish) bundle @aws-sdk/client-s3; the send function never does.
 */
export function s3ClientFor(clients: AwsClients): S3Client {
  let s3 = s3Clients.get(clients);
  if (!s3) {
    const { options } = clients;
    const endpoint = options.endpoints?.s3;
    s3 = new S3Client({
      region: options.region,
      requestHandler: new NodeHttpHandler({
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      }),
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    });
    s3Clients.set(clients, s3);
    clients.own(s3);
  }
  return s3;
}

/** The text of one object (a Markdown post), read with the S3 client of a set of clients. */
export async function readObjectText(clients: AwsClients, bucket: string, key: string): Promise<string> {
  const out = await s3ClientFor(clients).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

/** The posts bucket as the publish function reads it, through the S3 client of a set of clients. */
export function s3PostObjects(clients: AwsClients): PostObjects {
  return { readText: (bucket, key) => readObjectText(clients, bucket, key) };
}
