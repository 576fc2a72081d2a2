// The Lambda app of the publish function: it hands each edition to the plan function.
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import { s3PostObjects } from '../adapters/aws/s3-client.ts';
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
  });
}
