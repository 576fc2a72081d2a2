// The composition root of most Lambda functions: the whole AWS adapter set (aws.ts) from the environment
// the stack sets. The http function uses its own, smaller set (lambda-pages.ts).
import type { AwsClients } from '../adapters/aws/clients.ts';
import { LambdaEnv, requireEnv } from '../adapters/aws/lambda-env.ts';
import type { App } from './app.ts';
import { awsAdapters } from './aws.ts';
import { type LambdaAppOptions, lambdaAppOn } from './lambda-core.ts';

export type { LambdaAppOptions };

/** Options of a function on the whole AWS set: the posts reader may use its SDK clients. */
export type AwsLambdaAppOptions = Omit<LambdaAppOptions, 'postObjects' | 'archive'> & {
  /** The posts bucket's reader, for the publish function (only its bundle carries the S3 client). */
  readonly postObjects?: (clients: AwsClients) => ReturnType<NonNullable<LambdaAppOptions['postObjects']>>;
  /**
   * The web archive's writer (the bucket's `archive/` prefix) and its templates, for the functions that
   * publish (each published post refreshes the archive) and the digest function (the digest's page).
   */
  readonly archive?: (
    clients: AwsClients,
    bucket: string,
  ) => ReturnType<NonNullable<LambdaAppOptions['archive']>>;
};

/** The application inside a Lambda function, built once per container (a failed build is retried). */
export function lambdaApp(options: AwsLambdaAppOptions = {}): Promise<App> {
  let clients: AwsClients | undefined;
  const { postObjects, archive, ...rest } = options;
  const sdk = () => {
    if (!clients) throw new Error('lambdaApp: the AWS clients are built with the adapters');
    return clients;
  };
  return lambdaAppOn(
    (target) => {
      const adapters = awsAdapters({
        aws: { region: target.region },
        tableName: target.tableName,
        sendQueueUrl: target.sendQueueUrl,
      });
      clients = adapters.clients;
      return adapters;
    },
    {
      ...rest,
      ...(postObjects ? { postObjects: () => postObjects(sdk()) } : {}),
      ...(archive ? { archive: () => archive(sdk(), requireEnv(LambdaEnv.BucketName)) } : {}),
    },
  );
}
