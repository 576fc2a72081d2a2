// The Lambda app of the reconcile function: the plan hand-off (a Lambda client), no renderer.
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import type { App } from './app.ts';
import { lambdaApp } from './lambda.ts';

/** The reconcile function: it starts stalled planning again through the plan function. */
export function reconcileLambdaApp(): Promise<App> {
  return lambdaApp({ needsKeyRing: true, sendsEditions: true, handOffPlanning: lambdaPlanTrigger });
}
