// The Lambda app of the digest function: it renders and plans in its own process (mjml, as the plan
// function), and first writes the digest's page to the bucket's archive/ prefix, where the email's
// "View in browser" goes. Apart from lambda-planning.ts, so the plan bundle carries no archive code.
import { writeDigestPage } from '../use-cases/refresh-archive.ts';
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';
import { bundledArchive } from './lambda-archive.ts';

/** The digest function: writes the digest's archive page, then renders and plans its edition. */
export function digestLambdaApp(): Promise<App> {
  return lambdaApp({
    render: bundledRender,
    enqueues: true,
    useCases: { writeDigestPage },
    archive: bundledArchive,
  });
}
