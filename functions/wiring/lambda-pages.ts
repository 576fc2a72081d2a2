// The Lambda app of the http function: the subscriber pages' route table and nothing heavier.
import { createRouteTable } from '../http/routes.ts';
import type { App } from './app.ts';
import { lambdaApp } from './lambda.ts';

/** The http function: signs links (the key ring) and serves the route table. */
export function pagesLambdaApp(): Promise<App> {
  return lambdaApp({ needsKeyRing: true, useCases: { createRouteTable } });
}
