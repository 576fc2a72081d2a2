// The heavy use cases (use-cases.ts), each module loaded on its first call instead of at start-up. The CLI
// runs one command per process: `tidings subscribers import` needs the CSV reader, not the feed parser,
// the Markdown pipeline, the archive's templates or mjml. Importing ALL_USE_CASES eagerly put all of
// them in every `tidings` process (about 100 MB of the 200 MB floor measured before). createRouteTable
// is left out: it is synchronous, and only the processes that serve the pages (the dev server, the pages
// Lambda, the tests) hand it to buildApp.
import type { UseCases } from './use-cases.ts';

type Lazy = Omit<UseCases, 'createRouteTable'>;

export const LAZY_USE_CASES: Lazy = {
  pollFeed: async (...a) => (await import('../use-cases/poll-feeds.ts')).pollFeed(...a),
  resumeFeed: async (...a) => (await import('../use-cases/poll-feeds.ts')).resumeFeed(...a),
  publishMarkdown: async (...a) => (await import('../use-cases/publish-markdown.ts')).publishMarkdown(...a),
  testSend: async (...a) => (await import('../use-cases/test-send.ts')).testSend(...a),
  importSubscribers: async (...a) =>
    (await import('../use-cases/import-subscribers.ts')).importSubscribers(...a),
  addSubscriber: async (...a) => (await import('../use-cases/manage-subscribers.ts')).addSubscriber(...a),
  removeSubscriber: async (...a) =>
    (await import('../use-cases/manage-subscribers.ts')).removeSubscriber(...a),
  listMembers: async function* (...a) {
    return yield* (await import('../use-cases/manage-subscribers.ts')).listMembers(...a);
  },
  exportMembers: async (...a) => (await import('../use-cases/manage-subscribers.ts')).exportMembers(...a),
  listSuppressions: async function* (...a) {
    return yield* (await import('../use-cases/manage-subscribers.ts')).listSuppressions(...a);
  },
  refreshArchive: async (...a) => (await import('../use-cases/refresh-archive.ts')).refreshArchive(...a),
  writeDigestPage: async (...a) => (await import('../use-cases/refresh-archive.ts')).writeDigestPage(...a),
};
