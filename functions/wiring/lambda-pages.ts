// The Lambda app of the http function: the subscriber pages' route table on the pages' own adapter set
// (aws-pages.ts), and nothing heavier.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LambdaEnv, requireEnv } from '../adapters/aws/lambda-env.ts';
import { cachedOriginSecret } from '../adapters/aws/origin-secret.ts';
import { createRouteTable } from '../http/routes.ts';
import type { App } from './app.ts';
import { pagesAdapters } from './aws-pages.ts';
import { lambdaAppOn } from './lambda-core.ts';

/** The http function: signs links (the key ring) and serves the route table. */
export function pagesLambdaApp(): Promise<App> {
  return lambdaAppOn((target) => pagesAdapters(target), {
    needsKeyRing: true,
    useCases: { createRouteTable },
  });
}

let secrets: SecretsManagerClient | undefined;

/** The value CloudFront's origin header must carry (the stack names its secret; a missing name fails). */
export function pagesOriginSecret(): Promise<string> {
  secrets ??= new SecretsManagerClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  return cachedOriginSecret(secrets, requireEnv(LambdaEnv.OriginSecretArn));
}
