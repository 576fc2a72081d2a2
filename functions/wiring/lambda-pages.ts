// The Lambda app of the http function: the subscriber pages' route table on the pages' own adapter set
// (aws-pages.ts), and nothing heavier.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LambdaEnv, requireEnv } from '../adapters/aws/lambda-env.ts';
import { LambdaEventInvoker } from '../adapters/aws/lambda-event-invoke.ts';
import { cachedOriginSecret } from '../adapters/aws/origin-secret.ts';
import { type JourneyTask, journeyInvokeEvent } from '../core/subscribers/journey-task.ts';
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

/**
 * The http function's hand-off of a journey task (HttpDeps.handOff): an asynchronous invoke of the function
 * itself, with the role's credentials from the environment Lambda sets (what the SDK's provider chain reads
 * first there). Undefined unless the stack turned it on (TIDINGS_JOURNEY_SELF_INVOKE=1, with the grant).
 */
export function pagesJourneyHandOff(
  env: NodeJS.ProcessEnv = process.env,
): ((task: JourneyTask, seal: string) => Promise<void>) | undefined {
  if (env[LambdaEnv.JourneySelfInvoke] !== '1') return undefined;
  const invoker = new LambdaEventInvoker({
    region: requireEnv('AWS_REGION', env),
    functionName: requireEnv('AWS_LAMBDA_FUNCTION_NAME', env),
    // The standard endpoint variables, as the SDK's clients honour them (the deploy rehearsal sets them).
    ...endpointOf(env.AWS_ENDPOINT_URL_LAMBDA ?? env.AWS_ENDPOINT_URL),
    credentials: async () => ({
      accessKeyId: requireEnv('AWS_ACCESS_KEY_ID', env),
      secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY', env),
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    }),
  });
  return (task, seal) => invoker.invoke(journeyInvokeEvent(task, seal));
}

const endpointOf = (url: string | undefined): { endpoint?: string } => (url ? { endpoint: url } : {});

let secrets: SecretsManagerClient | undefined;

/** The value CloudFront's origin header must carry (the stack names its secret; a missing name fails). */
export function pagesOriginSecret(): Promise<string> {
  secrets ??= new SecretsManagerClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  return cachedOriginSecret(secrets, requireEnv(LambdaEnv.OriginSecretArn));
}
