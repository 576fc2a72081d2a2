// The web archive of the functions that write it (publish, poll-feeds, digest): written to the bucket's
// archive/ prefix, from the copy of templates/archive/ the stack bundles with them.

import type { AwsClients } from '../adapters/aws/clients.ts';
import { s3ArchiveObjects } from '../adapters/aws/s3-archive-objects.ts';
import { loadArchiveTemplates } from '../adapters/fs/archive-templates.ts';
import type { AppOptions } from './app.ts';

/** The archive option of lambdaApp for a function that writes the archive. */
export function bundledArchive(clients: AwsClients, bucket: string): NonNullable<AppOptions['archive']> {
  return {
    objects: s3ArchiveObjects(clients, bucket),
    templates: () => loadArchiveTemplates(process.env.TIDINGS_TEMPLATES_DIR),
  };
}
