import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ArchiveObjects } from '../../ports/archive-objects.ts';
import type { AwsClients } from './clients.ts';
import { s3ClientFor } from './s3-client.ts';

/** The object prefix of the web archive in the posts bucket; CloudFront serves it at `/archive/`. */
export const ARCHIVE_KEY_PREFIX = 'archive/';

/**
 * The web archive in the posts bucket, under `archive/`, where CloudFront serves it. Pages and the feed may
 * change with every publish, so caches keep them five minutes.
 */
export function s3ArchiveObjects(clients: AwsClients, bucket: string): ArchiveObjects {
  return {
    async write(files) {
      for (const file of files) {
        await s3ClientFor(clients).send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${ARCHIVE_KEY_PREFIX}${file.path}`,
            Body: file.body,
            ContentType: file.contentType,
            CacheControl: 'public, max-age=300',
          }),
        );
      }
    },
  };
}
