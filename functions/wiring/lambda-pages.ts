// The Lambda app of the http function: the subscriber pages' route table on the pages' own adapter set
// (aws-pages.ts), and nothing heavier.
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
