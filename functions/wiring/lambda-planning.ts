// The Lambda app of the functions that plan (plan, digest): they carry mjml (bundledRender).
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';

/** The plan function: renders and plans in its own process. */
export function planningLambdaApp(): Promise<App> {
  return lambdaApp({ render: bundledRender, enqueues: true });
}
