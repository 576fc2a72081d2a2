// The Lambda apps of the functions that plan, one per bundle, so each bundle carries only its adapters:
// mjml (bundledRender), the Lambda client (the plan hand-off), the S3 client (the posts bucket), fetch.
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';

/** The plan and digest functions: they render and plan in their own process. */
export function planningLambdaApp(): Promise<App> {
  return lambdaApp({ render: bundledRender });
}

/** The reconcile function: it starts stalled planning again through the plan function. */
export function reconcileLambdaApp(): Promise<App> {
  return lambdaApp({ needsKeyRing: true, handOffPlanning: lambdaPlanTrigger });
}
