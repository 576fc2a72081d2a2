import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exampleConfigInput from '../../examples/tidings.config.ts';
import { DynamoFeedStateStore } from '../../functions/adapters/aws/dynamo-feed-state.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { validateConfig } from '../../functions/core/config/validate.ts';
import { readSesStore } from '../../functions/local/emulators.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { aKeyRing, aSubscriber } from '../helpers/factories.ts';
import { describeStacks, type StandIn, startStandIn } from '../helpers/stand-ins.ts';

// `tidings feeds` run as a user runs it: a child process in a project directory whose .tidings/dev.json
// points at a local stack (the emulators and the send runner, started here in place of `tidings dev`),
// with feeds served by a local site.

const BIN = resolve('bin/tidings.mjs');

/** What each feed path of the local site answers; tests change it between polls. */
const served = new Map<string, { status: number; body: string; etag: string }>();
let server: Server;
let site: string;
let stack: LocalStack;
/** The project directory: config and dev state, as `tidings dev` leaves them. */
let project: string;

const item = (n: number) =>
  `<item><title>Episode ${n}</title><link>https://signal-noise.example.com/p/ep-${n}</link><guid isPermaLink="false">ep-${n}</guid><pubDate>${new Date(Date.UTC(2026, 1, n)).toUTCString()}</pubDate><description>&lt;p&gt;Notes for episode ${n}.&lt;/p&gt;</description></item>`;
const rss = (...items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Signal &amp; Noise</title><link>https://signal-noise.example.com</link>${items.join('')}</channel></rss>`;

type Run = { code: number; stdout: string; stderr: string };

/**
 * Time allowed per CLI child process in a test's timeout. Measured here: 2–5 s each on an idle 2-core
 * machine, 7–9 s (`tidings --help`) at load average 12 while other suites run; 30 s leaves room for that.
 */
const PER_CHILD_MS = 30_000;

function tidings(cwd: string, ...args: string[]): Promise<Run> {
  return tidingsWith({}, cwd, ...args);
}
function tidingsWith(env: Record<string, string>, cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const options = { cwd, timeout: 60_000, env: { ...process.env, ...env } };
    execFile(process.execPath, [BIN, ...args], options, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
const feeds = (...args: string[]) => tidings(project, 'feeds', ...args, '--config', 'tidings.config.json');

beforeAll(async () => {
  server = createServer((req, res) => {
    const feed = served.get(req.url ?? '');
    if (!feed) return void res.writeHead(404).end();
    if (feed.status === 200 && req.headers['if-none-match'] === feed.etag)
      return void res.writeHead(304).end();
    res.writeHead(feed.status, { 'content-type': 'application/rss+xml', etag: feed.etag }).end(feed.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const input = {
    ...exampleConfigInput,
    feeds: [
      { id: 'main', url: `${site}/main.xml`, lists: ['podcast'] },
      { id: 'flaky', url: `${site}/flaky.xml`, lists: ['podcast'] },
    ],
  };
  const config = validateConfig(input, 'tidings.config.json');
  stack = await startLocalStack({
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
    wiring: { sendRate: 1000 },
  });
  await stack.adapters.subscribers.put(aSubscriber({ id: 's_ada', email: 'ada@example.org', name: 'Ada' }));
  project = mkdtempSync(join(tmpdir(), 'tidings-feeds-'));
  writeFileSync(join(project, 'tidings.config.json'), JSON.stringify(input));
  mkdirSync(join(project, '.tidings'));
  writeFileSync(join(project, '.tidings/dev.json'), JSON.stringify(stack.info));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((done) => server?.close(done));
});

/** The smallest CloudFormation DescribeStacks: `Tidings-stateful` names the local stack's table. */
function fakeCloudFormation(tableName: string): Promise<StandIn> {
  return startStandIn(
    describeStacks((name) =>
      name === 'Tidings-stateful' ? { TableName: tableName, BucketName: 'posts' } : undefined,
    ),
  );
}

describe('tidings feeds', () => {
  it(
    'polls a feed now: the first poll only records, a new item then reaches instant subscribers',
    async () => {
      // Prepare: a feed with one episode, never polled
      served.set('/main.xml', { status: 200, body: rss(item(1)), etag: '"v1"' });
      const before = await feeds('list');
      expect(before.code, before.stderr).toBe(0);
      expect(before.stdout).toMatch(
        /^main {9}never-polled {1}http:\/\/127\.0\.0\.1:\d+\/main\.xml → podcast/m,
      );
      expect(before.stdout).toContain('not polled yet');

      // Act: the first poll
      const first = await feeds('poll', 'main');
      // Assess: it learns what is there and sends nothing
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe(
        'main: first poll: 1 item already in the feed recorded as seen, nothing sent; items that appear from now on are published\n',
      );
      expect(await readSesStore(stack.emulators.sesStoreUrl)).toEqual([]);

      // Act: episode 2 appears and the author polls now
      served.set('/main.xml', { status: 200, body: rss(item(2), item(1)), etag: '"v2"' });
      const second = await feeds('poll', 'main');

      // Assess: published to the podcast list and sent to its instant subscriber
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(
        /^main: 2 items, 1 new or edited\n {2}new {4}ep-2 "Episode 2"\n {4}podcast {6}\S+: 1 recipient queued; sent 1 · skipped 0 · failed 0\n$/,
      );
      const mail = await readSesStore(stack.emulators.sesStoreUrl);
      expect(mail.map((m) => [m.destinations, m.subject])).toEqual([[['ada@example.org'], 'Episode 2']]);

      // Act: the list shows what the poller remembers; a third poll is conditional
      const after = await feeds('list', '--json');
      const third = await feeds('poll', 'main');

      // Assess
      const row = (JSON.parse(after.stdout) as { feeds: Record<string, unknown>[] }).feeds.find(
        (f) => f.id === 'main',
      );
      expect(row).toMatchObject({ health: 'active', etag: '"v2"', failures: 0, lists: ['podcast'] });
      expect(row?.lastSuccessAt).toEqual(row?.lastPolledAt);
      expect(third.stdout).toBe('main: not modified since the last poll (HTTP 304); nothing new\n');
      expect(await readSesStore(stack.emulators.sesStoreUrl)).toHaveLength(1);
    },
    6 * PER_CHILD_MS,
  );

  it(
    'shows a feed that keeps failing as paused, and resume makes it pollable again',
    async () => {
      // Prepare: the feed's site is broken, and the scheduled poller already failed on it twice (the same use
      // case and table the CLI uses, run in this process: each CLI child costs seconds on a loaded machine)
      served.set('/flaky.xml', { status: 500, body: 'oops', etag: '"x"' });
      const earlier = [await stack.app.pollFeed('flaky'), await stack.app.pollFeed('flaky')];
      expect(earlier).toMatchObject([
        { action: 'failed', failures: 1, paused: false },
        { action: 'failed', failures: 2, paused: false },
      ]);

      // Act: the third failure in a row, polled from the CLI
      const third = await feeds('poll', 'flaky');

      // Assess: it says why, exits 1 and pauses the feed
      expect(third.code).toBe(1);
      expect(third.stdout).toBe(
        `flaky: poll failed (3 in a row), nothing published: ${site}/flaky.xml: could not be read: HTTP 500 Internal Server Error; ` +
          'the feed is now paused: fix it, then `tidings feeds resume flaky`\n',
      );
      const paused = await feeds('list');
      expect(paused.stdout).toMatch(/^flaky {8}paused {7}http/m);
      expect(paused.stdout).toContain('3 failures in a row');
      expect(paused.stdout).toMatch(
        /paused since \S+: nothing is fetched; fix the feed, then `tidings feeds resume flaky`/,
      );

      // Act: the site is fixed, but the paused feed is not fetched until resumed
      served.set('/flaky.xml', { status: 200, body: rss(item(7)), etag: '"ok"' });
      const stillPaused = await feeds('poll', 'flaky');
      const resumed = await feeds('resume', 'flaky');
      const again = await feeds('resume', 'flaky', '--json');
      const polled = await feeds('poll', 'flaky');
      const listed = await feeds('list', '--json');

      // Assess
      expect(stillPaused.code).toBe(1);
      expect(stillPaused.stdout).toMatch(/^flaky: paused since \S+ \(.*HTTP 500.*\); not fetched\./);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toBe(
        `flaky: resumed; the next poll fetches ${site}/flaky.xml again (now: \`tidings feeds poll flaky\`)\n`,
      );
      expect(JSON.parse(again.stdout)).toEqual({ feedId: 'flaky', wasPaused: false });
      expect(polled.stdout).toContain('flaky: first poll: 1 item already in the feed');
      const row = (JSON.parse(listed.stdout) as { feeds: Record<string, unknown>[] }).feeds.find(
        (f) => f.id === 'flaky',
      );
      expect(row).toMatchObject({ health: 'active', failures: 0, etag: '"ok"' });
      expect(row).not.toHaveProperty('pausedAt');
    },
    7 * PER_CHILD_MS,
  );

  it.each([[['poll', 'nope']], [['resume', 'nope']]])(
    'names the configured feeds when the feed id is wrong (%j)',
    async (args) => {
      const run = await feeds(...args);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('tidings: no feed "nope" in the config; the feeds are: main, flaky\n');
    },
    60_000,
  );

  it('says how to start the local stack when none is running', async () => {
    // Prepare: a project directory without .tidings/dev.json
    const elsewhere = mkdtempSync(join(tmpdir(), 'tidings-feeds-'));
    writeFileSync(
      join(elsewhere, 'tidings.config.json'),
      JSON.stringify({ ...exampleConfigInput, feeds: [{ id: 'main', url: `${site}/main.xml` }] }),
    );

    const run = await tidings(elsewhere, 'feeds', 'list', '--config', 'tidings.config.json');

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'tidings: no local stack is running: start one with `npx tidings dev` in another terminal (or use --stack <name> for AWS)\n',
    );
  }, 60_000);

  it('shows and resumes a paused feed of a deployed stack with --stack', async () => {
    // Prepare: the deployed poller paused a feed; the table is found from the stack outputs (no dev stack here)
    await new DynamoFeedStateStore({ doc: stack.clients.doc, tableName: stack.info.tableName }).put({
      feedId: 'flaky',
      failures: 3,
      lastPolledAt: '2026-03-01T12:00:00.000Z',
      lastError: 'https://signal-noise.example.com/feed.xml: could not be read: HTTP 503 Service Unavailable',
      pausedAt: '2026-03-01T12:00:00.000Z',
    });
    const cfn = await fakeCloudFormation(stack.info.tableName);
    const elsewhere = mkdtempSync(join(tmpdir(), 'tidings-feeds-'));
    writeFileSync(join(elsewhere, 'tidings.config.json'), readFileSync(join(project, 'tidings.config.json')));
    const aws = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_CLOUDFORMATION: cfn.url,
      AWS_ENDPOINT_URL_DYNAMODB: stack.info.endpoints.dynamodb,
      AWS_MAX_ATTEMPTS: '1',
    };
    const deployed = (...args: string[]) =>
      tidingsWith(aws, elsewhere, 'feeds', ...args, '--stack', 'Tidings', '--config', 'tidings.config.json');

    try {
      // Act
      const before = await deployed('list');
      const resumed = await deployed('resume', 'flaky');
      const after = await deployed('list', '--json');
      const missing = await tidingsWith(
        aws,
        elsewhere,
        'feeds',
        'list',
        '--stack',
        'Nope',
        '--config',
        'tidings.config.json',
      );

      // Assess
      expect(before.code, before.stderr).toBe(0);
      expect(before.stdout).toMatch(/^flaky {8}paused {7}http/m);
      expect(before.stdout).toContain(
        'last error: https://signal-noise.example.com/feed.xml: could not be read: HTTP 503',
      );
      expect(resumed.stdout).toMatch(
        /^flaky: resumed; the next poll fetches http:\/\/127\.0\.0\.1:\d+\/flaky\.xml again/,
      );
      const row = (JSON.parse(after.stdout) as { feeds: Record<string, unknown>[] }).feeds.find(
        (f) => f.id === 'flaky',
      );
      expect(row).toMatchObject({ health: 'active', failures: 0 });
      expect(row).not.toHaveProperty('pausedAt');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^tidings: stack Nope-stateful does not exist in this account and Region/,
      );
    } finally {
      await cfn.close();
    }
  }, 120_000);
});
