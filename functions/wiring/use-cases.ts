// The use cases whose modules carry heavy libraries (feed parsing, Markdown, CSV, the subscriber pages'
// templates, MJML and MailComposer for a test send). app.ts imports none of them, so a Lambda bundle
// carries only the ones its function is handed (lambda.ts); the CLI, the local stack and the tests take
// the whole set. Measured: importing them all from app.ts made the send bundle 8.8 MB instead of 379 KB.
import { createRouteTable } from '../http/routes.ts';
import { importSubscribers } from '../use-cases/import-subscribers.ts';
import {
  addSubscriber,
  exportMembers,
  listMembers,
  listSuppressions,
  removeSubscriber,
} from '../use-cases/manage-subscribers.ts';
import { pollFeed, resumeFeed } from '../use-cases/poll-feeds.ts';
import { publishMarkdown } from '../use-cases/publish-markdown.ts';
import { refreshArchive, writeDigestPage } from '../use-cases/refresh-archive.ts';
import { testSend } from '../use-cases/test-send.ts';

/** The heavy use cases, handed to buildApp by the processes that run them. */
export interface UseCases {
  readonly createRouteTable: typeof createRouteTable;
  readonly pollFeed: typeof pollFeed;
  readonly resumeFeed: typeof resumeFeed;
  readonly publishMarkdown: typeof publishMarkdown;
  readonly testSend: typeof testSend;
  readonly importSubscribers: typeof importSubscribers;
  readonly addSubscriber: typeof addSubscriber;
  readonly removeSubscriber: typeof removeSubscriber;
  readonly listMembers: typeof listMembers;
  readonly exportMembers: typeof exportMembers;
  readonly listSuppressions: typeof listSuppressions;
  readonly refreshArchive: typeof refreshArchive;
  readonly writeDigestPage: typeof writeDigestPage;
}

/** Every heavy use case: for the CLI, the local stack and the tests. */
export const ALL_USE_CASES: UseCases = {
  createRouteTable,
  pollFeed,
  resumeFeed,
  publishMarkdown,
  testSend,
  importSubscribers,
  addSubscriber,
  removeSubscriber,
  listMembers,
  exportMembers,
  listSuppressions,
  refreshArchive,
  writeDigestPage,
};
