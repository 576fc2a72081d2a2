// The Lambda app of the publish function: it hands each edition to the plan function, and gives each post
// scheduled by its front matter (sendAt) a one-time schedule.
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import { s3PostObjects } from '../adapters/aws/s3-client.ts';
import { schedulerSendTimer } from '../adapters/aws/scheduler-send-timer.ts';
import { publishMarkdown } from '../use-cases/publish-markdown.ts';
import { refreshArchive } from '../use-cases/refresh-archive.ts';
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';
import { bundledArchive } from './lambda-archive.ts';

/** The publish function: an S3 put or a POST of Markdown; reads the posts bucket. */
export function publishLambdaApp(): Promise<App> {
  return lambdaApp({
    handOffPlanning: lambdaPlanTrigger,
    render: bundledRender,
    postObjects: s3PostObjects,
    useCases: { publishMarkdown, refreshArchive },
    archive: bundledArchive,
    sendTimer: schedulerSendTimer,
  });
}
