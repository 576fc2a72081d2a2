import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadArchiveTemplates } from '../../adapters/fs/archive-templates.ts';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { FsArchiveObjects } from '../../adapters/fs/fs-archive-objects.ts';
import { loadPosts } from '../../adapters/fs/post-source.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import { readSesStore } from '../../local/emulators.ts';
import { DEV_LAYOUT, startLocalStack } from '../../local/local-stack.ts';
import { systemClock } from '../../ports/clock.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { EditionStatusView } from '../../use-cases/edition-status.ts';
import { countOf, outcomeLine, progress, watchEditions } from '../delivery-ui.ts';

const SUBSCRIBERS_CSV = 'examples/subscribers.csv';
/** Published first: the episode goes out at once; the essay and the note wait for the essays digest. */
const POSTS = [
  'examples/posts/podcast-episode.md',
  'examples/posts/long-essay.md',
  'examples/posts/short-note.md',
];
/** The note is sent instantly on a real site; the demo holds it for the digest to keep the run short. */
const HELD_FOR_DIGEST = new Set(['examples/posts/short-note.md']);
/** The digests the demo runs. */
const DIGESTS = [
  { listId: 'essays', cadence: 'weekly' },
  { listId: 'essays', cadence: 'daily' },
] as const;
/** The emulator answers GetSendQuota with 200/s; the demo sends at that pace, not the example's 14/s. */
const DEMO_RATE = 200;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the whole pipeline on embedded emulators: import, publish, digest, send, summary (npm start)',
    )
    .option('--config <file>', 'the config file', 'examples/tidings.config.ts')
    .option('--out <dir>', 'where sample messages are written', 'out/demo')
    .option('--json', 'print the summary as one JSON document')
    .action(async (options: { config: string; out: string; json?: boolean }) => {
      process.exitCode = await runDemo(options);
    });
}

async function runDemo(options: { config: string; out: string; json?: boolean }): Promise<number> {
  const started = performance.now();
  const say = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const { config } = await loadConfig(options.config);
  say(`tidings demo: ${config.site.name}, on embedded AWS emulators (no AWS account, no Docker, no Java)\n`);

  // A key made for this run only: the demo's links are never meant to verify later.
  const keyRing = { current: { id: 'demo', secret: new Uint8Array(randomBytes(32)) } };
  const stackStarted = performance.now();
  const archiveDir = join(options.out, 'archive');
  const stack = await startLocalStack({
    config,
    keyRing,
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
    // The layout `tidings dev` runs in (local-stack.ts: measured by test/bench/e2e.bench.ts).
    ...DEV_LAYOUT,
    senders: 2,
    // Each publish refreshes the web archive, as on AWS (where it goes to the bucket's archive/ prefix).
    wiring: {
      sendRate: DEMO_RATE,
      archive: { objects: new FsArchiveObjects(archiveDir), templates: () => loadArchiveTemplates() },
    },
  });
  try {
    const rate = await stack.app.applySendQuota();
    say(
      `  ✓ emulators on 127.0.0.1 in ${secs(performance.now() - stackStarted)}: dynalite, local-aws-sqs, aws-ses-v2-local`,
    );
    say(`  ✓ table "${stack.info.tableName}" and send queue with its dead-letter queue`);
    say(
      `  ✓ pace: ${rate} messages/s (the emulator's quota; ${config.sending.maxRate}/s in the example config is for a real SES account)`,
    );

    // 1. Subscribers
    const text = await readFile(SUBSCRIBERS_CSV, 'utf8');
    const bar = progress('importing subscribers');
    const report = await stack.app.subscribers.import({
      text,
      source: SUBSCRIBERS_CSV,
      listId: config.lists[0]?.id ?? 'podcast',
      lists: Object.fromEntries(config.lists.map((l) => [l.id, l.defaultCadence])),
      // The example file has a few bad rows on purpose, to show how they are reported.
      skipBadRows: true,
      onProgress: ({ done, total }) => bar.update(done, total),
    });
    bar.stop();
    say(
      `  ✓ imported ${SUBSCRIBERS_CSV}: ${countOf(report.records, 'record')} → ${countOf(report.created, 'subscriber')}; list memberships: ${report.statuses.subscribed} subscribed, ${report.statuses.unsubscribed} unsubscribed (a subscriber can be on several lists); ${countOf(report.suppressions.added, 'suppressed address', 'suppressed addresses')}; ${countOf(report.problems.length, 'bad row')} reported`,
    );
    const SHOWN_PROBLEMS = 3;
    for (const p of report.problems.slice(0, SHOWN_PROBLEMS))
      say(
        `      line ${p.line}: ${p.code}${'message' in p ? `: ${(p as { message: string }).message}` : ''}`,
      );
    if (report.problems.length > SHOWN_PROBLEMS)
      say(`      and ${report.problems.length - SHOWN_PROBLEMS} more`);

    // 2. Publish the example posts: instant editions go out now; digest-only posts wait for the digest.
    const sendStarted = performance.now();
    const editions: string[] = [];
    for (const file of POSTS) {
      const [loaded] = await loadPosts(file, { siteUrl: config.site.url });
      if (!loaded) continue;
      const held = HELD_FOR_DIGEST.has(file);
      const post = held ? { ...loaded, send: 'digest' as const } : loaded;
      const result = await stack.app.publish(post);
      say(`\n  publish ${file}${held ? ' (held for the digest in this demo)' : ''}`);
      for (const l of result.lists) {
        if (l.action === 'planned') {
          say(
            `    → ${l.listId}: edition ${l.editionId}, ${countOf(l.plan?.enqueued ?? 0, 'recipient')} queued`,
          );
          editions.push(l.editionId);
        } else say(`    → ${l.listId}: ${l.action}${'reason' in l ? ` (${l.reason})` : ''}`);
      }
      await watchEditions(
        (id) => stack.app.status(id),
        result.lists.flatMap((l) => (l.action === 'planned' ? [l.editionId] : [])),
      );
    }
    // Publishing the same post again sends nothing: same post, same version, same edition.
    const [again] = await loadPosts(POSTS[0] as string, { siteUrl: config.site.url });
    if (again) {
      const repeat = await stack.app.publish(again);
      say(
        `\n  publish ${POSTS[0]} again → ${repeat.lists.map((l) => `${l.listId}: ${l.action}`).join(', ')}`,
      );
    }

    // 3. Digests: every post since the last digest, to the daily and weekly readers of each list.
    for (const { listId, cadence } of DIGESTS) {
      if (!config.lists.some((l) => l.id === listId)) continue;
      const digest = await stack.app.digest(listId, cadence);
      if (digest.action === 'nothing-new') {
        say(`\n  digest ${listId} ${cadence}: no new posts, nothing to send`);
        continue;
      }
      say(
        `\n  digest ${listId} ${cadence}: ${countOf(digest.postIds.length, 'post')} (${digest.postIds.join(', ')}) → edition ${digest.editionId}, ${countOf(digest.plan.enqueued, 'recipient')} queued`,
      );
      // Its "View in browser" page, written before its first email went out.
      say(`    its page in the web archive: ${join(archiveDir, 'digests', digest.editionId, 'index.html')}`);
      editions.push(digest.editionId);
      await watchEditions((id) => stack.app.status(id), [digest.editionId]);
    }
    const again2 = await stack.app.digest('essays', 'weekly');
    say(
      `\n  digest essays weekly again → ${again2.action === 'nothing-new' ? 'no new posts, nothing to send' : again2.action}`,
    );
    await stack.runner.drain(60_000);
    const sendMs = performance.now() - sendStarted;

    // 4. Summary, counted from the SES emulator's own store.
    const views: EditionStatusView[] = [];
    for (const id of editions) views.push(await stack.app.status(id));
    const store = await readSesStore(stack.emulators.sesStoreUrl);
    const perDelivery = new Map<string, number>();
    for (const m of store) {
      const key = `${m.tags.edition ?? '?'}|${m.destinations[0] ?? m.to[0] ?? '?'}`;
      perDelivery.set(key, (perDelivery.get(key) ?? 0) + 1);
    }
    const duplicates = [...perDelivery.values()].reduce((n, c) => n + (c - 1), 0);
    await mkdir(options.out, { recursive: true });
    const samples: string[] = [];
    for (const id of editions) {
      const message = store.find((m) => m.tags.edition === id && m.raw);
      if (!message?.raw) continue;
      const path = join(options.out, `${id}.eml`);
      await writeFile(path, message.raw);
      samples.push(path);
    }
    const sent = views.reduce((n, v) => n + v.counters.sent, 0);
    const elapsedMs = performance.now() - started;
    const summary = {
      editions: views.map((v) => ({
        id: v.id,
        listId: v.listId,
        kind: v.kind,
        complete: v.complete,
        planned: v.counters.planned,
        sent: v.counters.sent,
        skipped: v.counters.skipped,
        skippedReasons: v.counters.skippedReasons,
        failed: v.counters.failed,
        failedReasons: v.counters.failedReasons,
      })),
      messagesInSesStore: store.length,
      duplicates,
      elapsedSeconds: Number((elapsedMs / 1000).toFixed(1)),
      sendSeconds: Number((sendMs / 1000).toFixed(1)),
      messagesPerSecond: Number((sent / (sendMs / 1000)).toFixed(1)),
      samples,
      archive: join(archiveDir, 'index.html'),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      say('\nSummary');
      say(`  ${'edition'.padEnd(30)} ${'list'.padEnd(8)} ${'planned'.padStart(7)}  outcome`);
      for (const v of views)
        say(
          `  ${v.id.padEnd(30)} ${v.listId.padEnd(8)} ${String(v.counters.planned).padStart(7)}  ${outcomeLine(v)}${v.complete ? '' : '  (not complete)'}`,
        );
      say(
        `\n  messages in the SES emulator store: ${store.length}; duplicates (same edition, same recipient): ${duplicates}`,
      );
      say(
        `  sent ${countOf(sent, 'message')} in ${secs(sendMs)} (${summary.messagesPerSecond} msg/s); whole demo ${secs(elapsedMs)}`,
      );
      say(`  sample messages: ${samples.join(', ')}`);
      say(
        `  web archive (what tidings archive build writes, refreshed by each publish; a page per digest): ${summary.archive}`,
      );
      say(
        '  (everything ran on 127.0.0.1; the emulators are stopped now. `npx tidings dev` keeps them running.)',
      );
    }
    const incomplete = views.filter((v) => !v.complete);
    return duplicates === 0 && incomplete.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
}
