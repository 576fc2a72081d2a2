import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { findDeployedResources } from '../adapters/aws/stack-outputs.ts';
import { InvalidInputError, TidingsError } from '../core/errors.ts';

/** What `tidings publish <file.md> --stack <name>` did. */
export interface StackPublishResult {
  readonly stackName: string;
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
}

/**
 * `tidings publish <file.md> --stack <prefix>`: uploads the Markdown file to the deployed posts bucket
 * (found from the stateful stack's outputs) under `posts/`, where the S3 put publishes it on AWS. The
 * credentials and Region are the AWS CLI's (AWS_PROFILE, AWS_REGION, …).
 */
export async function publishToStack(
  source: string,
  stack: string,
  clients: { cloudFormation?: CloudFormationClient; s3?: S3Client } = {},
): Promise<StackPublishResult> {
  if (extname(source) !== '.md') {
    throw new InvalidInputError(
      'PUBLISH_STACK_SOURCE',
      `${source}: --stack uploads a Markdown file (.md); a feed is polled by the deployed poll-feeds function`,
    );
  }
  let body: string;
  try {
    body = await readFile(source, 'utf8');
  } catch (cause) {
    throw new InvalidInputError(
      'SOURCE_UNREADABLE',
      `${source}: cannot read the post: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient({});
  const s3 = clients.s3 ?? new S3Client({});
  try {
    const { stackName, bucketName } = await findDeployedResources(cloudFormation, stack);
    const key = `posts/${basename(source)}`;
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucketName,
          Key: key,
          Body: body,
          ContentType: 'text/markdown; charset=utf-8',
        }),
      );
    } catch (cause) {
      throw new TidingsError(
        'PUBLISH_UPLOAD_FAILED',
        `s3://${bucketName}/${key}: upload failed: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    return { stackName, bucket: bucketName, key, bytes: Buffer.byteLength(body) };
  } finally {
    if (!clients.cloudFormation) cloudFormation.destroy();
    if (!clients.s3) s3.destroy();
  }
}
