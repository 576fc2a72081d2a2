import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import type { Config, FeedConfig } from '../../core/config/schema.ts';
import { NotFoundError } from '../../core/errors.ts';
import { systemClock } from '../../ports/clock.ts';
import type { FeedState } from '../../ports/feed-state-store.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { EditionStatusView } from '../../use-cases/edition-status.ts';
import type { PollResult } from '../../use-cases/poll-feeds.ts';
import type { ListOutcome } from '../../use-cases/publish-post.ts';
import type { App } from '../../wiring/app.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { outcomeLine, watchEditions } from '../delivery-ui.ts';
import { withTarget } from '../target-options.ts';

interface FeedsOptions extends TargetFlags {
  readonly json?: boolean;
  readonly config?: string;
}

/** Where a feed stands, as `feeds list` shows it. */
type FeedHealth = 'never-polled' | 'active' | 'failing' | 'paused';

export function registerFeeds(program: Command): void {
  const feeds = program
    .command('feeds')
    .description(
      'the configured feeds: their state, poll now, resume a paused feed (the local stack, or --stack)',
    );

  withTarget(feeds.command('list'))
    .description('every configured feed with its state: last poll, validators, failures, paused')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (options: FeedsOptions) => {
      const { config } = await loadConfig(options.config);
      await withApp(config, options, {}, async (app) => {
        const rows = [];
        for (const feed of config.feeds) rows.push(describe(feed, await app.feedState(feed.id)));
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ feeds: rows }, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) process.stdout.write(noFeedsLine);
        for (const r of rows) process.stdout.write(`${listLines(r).join('\n')}\n`);
      });
    });

  withTarget(feeds.command('poll'))
    .description(
      'poll one feed (or every feed) now: new items are published to their lists, as the schedule would',
    )
    .argument('[feedId]', 'the feed (default: every configured feed, one after the other)')
    .option('--no-wait', 'return once the editions are planned, without waiting for the sends')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (feedId: string | undefined, options: FeedsOptions & { readonly wait: boolean }) => {
      const { config } = await loadConfig(options.config);
      const ids = feedId ? [requireFeed(config, feedId).id] : config.feeds.map((f) => f.id);
      if (ids.length === 0) {
        if (options.json) process.stdout.write(`${JSON.stringify({ polls: [], editions: [] }, null, 2)}\n`);
        else process.stdout.write(noFeedsLine);
        return;
      }
      await withApp(config, options, { render: true }, async (app) => {
        const results: PollResult[] = [];
        for (const id of ids) results.push(await app.pollFeed(id));
        const planned = results.flatMap((r) =>
          r.action === 'polled'
            ? r.changed.flatMap((c) => c.lists.flatMap((l) => (l.action === 'planned' ? [l.editionId] : [])))
            : [],
        );
        const finals =
          options.wait && planned.length ? await watchEditions((id) => app.status(id), planned) : [];
        // A feed that could not be polled (failed, or paused) makes the command fail, for scripts.
        if (results.some((r) => r.action === 'failed' || r.action === 'paused')) process.exitCode = 1;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ polls: results, editions: finals }, null, 2)}\n`);
          return;
        }
        for (const r of results) process.stdout.write(`${pollLines(r, finals).join('\n')}\n`);
      });
    });

  withTarget(feeds.command('resume'))
    .description('lift the pause of a feed that kept failing (after fixing it); the next poll fetches it')
    .argument('<feedId>', 'the feed')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (feedId: string, options: FeedsOptions) => {
      const { config } = await loadConfig(options.config);
      const feed = requireFeed(config, feedId);
      await withApp(config, options, {}, async (app) => {
        const result = await app.resumeFeed(feed.id);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          result.wasPaused
            ? `${feed.id}: resumed; the next poll fetches ${feed.url} again (now: \`tidings feeds poll ${feed.id}\`)\n`
            : `${feed.id}: was not paused; nothing to resume\n`,
        );
      });
    });
}

const noFeedsLine =
  'no feeds in the config: add one under `feeds: [{ id, url, lists }]` in tidings.config.ts\n';

/** The configured feed with this id, or one line naming the ids there are. */
function requireFeed(config: Config, feedId: string): FeedConfig {
  const feed = config.feeds.find((f) => f.id === feedId);
  if (feed) return feed;
  const known = config.feeds.map((f) => f.id);
  throw new NotFoundError(
    'FEED_NOT_FOUND',
    known.length
      ? `no feed "${feedId}" in the config; the feeds are: ${known.join(', ')}`
      : `no feed "${feedId}": the config has no feeds (add one under \`feeds: [{ id, url, lists }]\`)`,
  );
}

/**
 * Runs `fn` with the application on the command's target: the running `tidings dev` stack, or `--stack`
 * (the deployed table and send queue, found from the stacks' outputs; the shell's credentials and Region).
 */
async function withApp(
  config: Config,
  flags: TargetFlags,
  needs: { readonly render?: boolean },
  fn: (app: App) => Promise<void>,
): Promise<void> {
  const { app } = await cliApp(
    flags,
    {
      config,
      ...(needs.render
        ? { render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }) }
        : {}),
    },
    { queue: Boolean(needs.render) },
  );
  try {
    await fn(app);
  } finally {
    app.destroy();
  }
}

interface FeedRow {
  readonly id: string;
  readonly url: string;
  readonly lists: readonly string[] | 'all';
  readonly schedule: string;
  readonly health: FeedHealth;
  readonly failures: number;
  readonly lastPolledAt?: string;
  readonly lastSuccessAt?: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly lastError?: string;
  readonly pausedAt?: string;
}

function describe(feed: FeedConfig, state: FeedState | undefined): FeedRow {
  const health: FeedHealth = state?.pausedAt
    ? 'paused'
    : !state?.lastPolledAt
      ? 'never-polled'
      : state.failures > 0
        ? 'failing'
        : 'active';
  return {
    id: feed.id,
    url: feed.url,
    lists: feed.lists ?? 'all',
    schedule: feed.schedule,
    health,
    failures: state?.failures ?? 0,
    ...(state?.lastPolledAt ? { lastPolledAt: state.lastPolledAt } : {}),
    ...(state?.lastSuccessAt ? { lastSuccessAt: state.lastSuccessAt } : {}),
    ...(state?.etag ? { etag: state.etag } : {}),
    ...(state?.lastModified ? { lastModified: state.lastModified } : {}),
    ...(state?.lastError ? { lastError: state.lastError } : {}),
    ...(state?.pausedAt ? { pausedAt: state.pausedAt } : {}),
  };
}

function listLines(r: FeedRow): string[] {
  const lists = r.lists === 'all' ? 'every list' : r.lists.join(', ');
  const head = `${r.id.padEnd(12)} ${r.health.padEnd(12)} ${r.url} → ${lists} (${r.schedule})`;
  const pad = ''.padEnd(12);
  if (r.health === 'never-polled') return [head, `${pad} not polled yet`];
  const validators = [
    r.etag ? `etag ${r.etag}` : '',
    r.lastModified ? `last-modified ${r.lastModified}` : '',
  ].filter(Boolean);
  const lines = [
    head,
    `${pad} last poll ${r.lastPolledAt}, last success ${r.lastSuccessAt ?? 'never'}, ${r.failures} failure${r.failures === 1 ? '' : 's'} in a row${validators.length ? `, ${validators.join(', ')}` : ''}`,
  ];
  if (r.lastError && r.failures > 0) lines.push(`${pad} last error: ${r.lastError}`);
  if (r.pausedAt)
    lines.push(
      `${pad} paused since ${r.pausedAt}: nothing is fetched; fix the feed, then \`tidings feeds resume ${r.id}\``,
    );
  return lines;
}

function pollLines(r: PollResult, finals: readonly EditionStatusView[]): string[] {
  switch (r.action) {
    case 'paused':
      return [
        `${r.feedId}: paused since ${r.pausedAt}${r.lastError ? ` (${r.lastError})` : ''}; not fetched. Fix the feed, then \`tidings feeds resume ${r.feedId}\``,
      ];
    case 'not-modified':
      return [`${r.feedId}: not modified since the last poll (HTTP 304); nothing new`];
    case 'baseline':
      return [
        `${r.feedId}: first poll: ${r.items} item${r.items === 1 ? '' : 's'} already in the feed recorded as seen, nothing sent; items that appear from now on are published`,
      ];
    case 'failed':
      return [
        `${r.feedId}: poll failed (${r.failures} in a row), nothing published: ${r.error}${r.paused ? `; the feed is now paused: fix it, then \`tidings feeds resume ${r.feedId}\`` : ''}`,
      ];
    case 'polled': {
      if (r.changed.length === 0) return [`${r.feedId}: ${r.items} items, nothing new`];
      const lines = [`${r.feedId}: ${r.items} items, ${r.changed.length} new or edited`];
      for (const c of r.changed) {
        lines.push(`  ${c.change.padEnd(6)} ${c.postId} "${c.title}"`);
        for (const l of c.lists) lines.push(`    ${l.listId.padEnd(12)} ${outcome(l, finals)}`);
      }
      return lines;
    }
  }
}

function outcome(l: ListOutcome, finals: readonly EditionStatusView[]): string {
  switch (l.action) {
    case 'planned': {
      const final = finals.find((f) => f.id === l.editionId);
      const n = l.plan?.enqueued;
      const queued = n === undefined ? '? recipients' : `${n} recipient${n === 1 ? '' : 's'}`;
      return `${l.editionId}: ${queued} queued${final ? `; ${outcomeLine(final)}` : ''}`;
    }
    case 'already-sent':
      return `already sent as ${l.editionId}: nothing new to send`;
    case 'edited':
      return `edited since ${l.previousEditionId} went out: the new version is stored, not sent again`;
    default:
      return `${l.action === 'digest-only' ? 'goes out in the next digest' : 'not sent'} (${l.reason})`;
  }
}
