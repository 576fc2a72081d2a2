// The Lambda app of the functions that plan (plan, digest): they carry mjml (bundledRender).
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';

/** The plan and digest functions: they render and plan in their own process. */
export function planningLambdaApp(): Promise<App> {
  return lambdaApp({ render: bundledRender, enqueues: true });
}
