// The Lambda app of the poll-feeds function: the feed fetcher and parser, the plan hand-off, and the one-time
// schedules of the time-zone waves of the posts it finds for a list with `deliverAt`.
import { lambdaPlanTrigger } from '../adapters/aws/lambda-plan-trigger.ts';
import { schedulerSendTimer } from '../adapters/aws/scheduler-send-timer.ts';
import { fetchDocument } from '../adapters/web/feed-fetch.ts';
import { pollFeed } from '../use-cases/poll-feeds.ts';
import { refreshArchive } from '../use-cases/refresh-archive.ts';
import type { App } from './app.ts';
import { bundledRender } from './bundled-render.ts';
import { lambdaApp } from './lambda.ts';
import { bundledArchive } from './lambda-archive.ts';

/** The poll-feeds function: fetches each feed on its schedule. */
export function pollFeedsLambdaApp(): Promise<App> {
  return lambdaApp({
    handOffPlanning: lambdaPlanTrigger,
    render: bundledRender,
    fetchFeed: (url, validators) => fetchDocument(url, validators),
    useCases: { pollFeed, refreshArchive },
    archive: bundledArchive,
    sendTimer: schedulerSendTimer,
  });
}
