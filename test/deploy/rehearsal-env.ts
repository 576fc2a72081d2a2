import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { type AwsClients, EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import { createTable, type Emulators, startEmulators } from '../../functions/local/emulators.ts';
import { stackNames } from '../../infra/tidings-app.ts';
import { exampleConfig, synthApp } from '../infra/helpers.ts';
import { type BundleSandbox, bundleSandbox } from './bundle-runner.ts';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy.ts';
import { ACCOUNT, readStateless, type StatelessTemplate } from './template.ts';

// One rehearsal per test file: the app synthesized with its bundles, the emulators, the recording proxy in
// front of them, and the stand-ins that resolve the template's references to them.

export const TABLE_NAME = 'tidings-rehearsal';
export const BUCKET_NAME = 'tidings-posts-rehearsal';

export interface Rehearsal {
  readonly config: Config;
  readonly region: string;
  readonly template: StatelessTemplate;
  readonly proxy: RecordingProxy;
  readonly sandbox: BundleSandbox;
  readonly emulators: Emulators;
  /** Clients straight to the emulators (the test's own reads, and the event source's part; never recorded). */
  readonly clients: AwsClients;
  /** The send queue's URL on the emulator, and the ARN the template gives it. */
  readonly sendQueue: { readonly url: string; readonly arn: string };
  /** The CloudFront origin secret's value. */
  readonly originSecret: string;
  /** The fixture feed every configured feed points at, served on 127.0.0.1, and the items it holds. */
  readonly feed: { readonly url: string; readonly itemTitle: string };
}

const FEED_ITEM_TITLE = 'A rehearsal episode from the feed';

const feedItem = (base: string, n: number, title: string) => `<item>
<title>${title}</title>
<link>${base}/posts/rehearsal-episode-${n}</link>
<guid isPermaLink="false">rehearsal-episode-${n}</guid>
<pubDate>Sat, 0${n} Dec 2026 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Hello from the feed.</p>]]></content:encoded>
</item>`;

/**
 * A small RSS 2.0 feed with no remote media (the rehearsal reaches no network): one old item on the first
 * read (a first poll takes the feed's items as its baseline), a new one on the second, then 503s.
 */
function fixtureFeed(base: string, read: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Signal &amp; Noise</title>
<link>${base}/</link>
<description>The rehearsal's feed</description>
${read > 1 ? feedItem(base, 5, FEED_ITEM_TITLE) : ''}
${feedItem(base, 1, 'An older episode')}
</channel>
</rss>`;
}

/**
 * Starts everything in beforeAll and stops it in afterAll. The app is synthesized once, bundling every
 * function, from the example config with its feeds pointed at the fixture feed on 127.0.0.1.
 */
export function useRehearsal(): () => Rehearsal {
  let ctx: Rehearsal | undefined;
  let feedServer: Server | undefined;
  beforeAll(async () => {
    let reads = 0;
    feedServer = createServer((req, res) => {
      if (req.url !== '/feed.xml') {
        res.writeHead(404).end();
        return;
      }
      reads += 1;
      if (reads > 2) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(fixtureFeed(feedBase, reads));
    });
    feedServer.listen(0, '127.0.0.1');
    await once(feedServer, 'listening');
    const feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    const example = await exampleConfig();
    // The feed posts to the essays, sent at each reader's 08:00 (deliverAt): what poll-feeds finds goes out in
    // time-zone waves, each with its one-time schedule.
    const config = {
      ...example,
      lists: example.lists.map((l) => (l.id === 'essays' ? { ...l, deliverAt: '08:00' } : l)),
      feeds: example.feeds.map((f) => ({ ...f, url: `${feedBase}/feed.xml`, lists: ['essays'] })),
    };
    const region = config.aws.region ?? 'eu-west-1';
    const { app, synthError } = synthApp(config);
    if (synthError) throw synthError;
    const stateless = { stackName: stackNames(config).stateless };
    const emulators = await startEmulators({ captureRawMime: true });
    const clients = makeClients({
      region,
      endpoints: emulators.endpoints,
      credentials: EMULATOR_CREDENTIALS,
    });
    await createTable(clients.dynamodb, TABLE_NAME);

    const secretArn = (id: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${id}-AbCdEf`;
    const signingKeyArn = secretArn('TidingsSigningKey');
    const originSecret = randomBytes(24).toString('hex');
    const secrets: Record<string, string> = {
      [signingKeyArn]: JSON.stringify({ kid: 'k1', secret: randomBytes(32).toString('hex') }),
    };
    const proxy = await startRecordingProxy({ region, upstream: emulators.endpoints, secrets });
    const sqsProxy = proxy.endpointEnv.AWS_ENDPOINT_URL_SQS ?? '';

    // Every queue of the template exists on the emulator under its logical id; the bundles get URLs on the
    // proxy (the SQS client sends to the host of the QueueUrl).
    const queueUrls: Record<string, string> = {};
    const readTemplate = () =>
      readStateless(app.outdir, stateless.stackName, {
        region,
        imports: {
          [`${config.aws.stackPrefix}-stateful:TableName`]: TABLE_NAME,
          [`${config.aws.stackPrefix}-stateful:TableArn`]: `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${TABLE_NAME}`,
          [`${config.aws.stackPrefix}-stateful:BucketName`]: BUCKET_NAME,
          [`${config.aws.stackPrefix}-stateful:BucketArn`]: `arn:aws:s3:::${BUCKET_NAME}`,
          [`${config.aws.stackPrefix}-stateful:SigningKeyArn`]: signingKeyArn,
        },
        ref(logicalId, resource) {
          switch (resource?.Type) {
            case 'AWS::SQS::Queue': {
              const url = queueUrls[logicalId];
              if (!url) throw new Error(`queue ${logicalId} was not created on the emulator`);
              return url;
            }
            case 'AWS::Lambda::Function':
              return `Tidings-stateless-${logicalId}`;
            case 'AWS::SecretsManager::Secret':
              return secretArn(logicalId);
            case 'AWS::SES::ConfigurationSet':
              return resource.Properties.Name;
            case 'AWS::Logs::LogGroup':
              return `/aws/lambda/${logicalId}`;
            case 'AWS::Scheduler::ScheduleGroup':
              return `Tidings-stateless-${logicalId}`;
          }
          throw new Error(`the rehearsal has no stand-in for Ref ${logicalId} (${resource?.Type})`);
        },
        getAtt(logicalId, attribute, resource) {
          const key = `${resource?.Type}.${attribute}`;
          switch (key) {
            case 'AWS::SQS::Queue.Arn':
              return `arn:aws:sqs:${region}:${ACCOUNT}:${logicalId}`;
            case 'AWS::SQS::Queue.QueueName':
              return logicalId;
            case 'AWS::Lambda::Function.Arn':
              return `arn:aws:lambda:${region}:${ACCOUNT}:function:Tidings-stateless-${logicalId}`;
            case 'AWS::Logs::LogGroup.Arn':
              return `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/${logicalId}:*`;
            case 'AWS::IAM::Role.Arn':
              return `arn:aws:iam::${ACCOUNT}:role/Tidings-stateless-${logicalId}`;
            case 'AWS::Scheduler::ScheduleGroup.Name':
              return `Tidings-stateless-${logicalId}`;
            case 'AWS::Scheduler::ScheduleGroup.Arn':
              return `arn:aws:scheduler:${region}:${ACCOUNT}:schedule-group/Tidings-stateless-${logicalId}`;
          }
          throw new Error(`the rehearsal has no stand-in for GetAtt ${logicalId}.${attribute}`);
        },
      });
    // The queues first: resolving the functions' environments needs their URLs.
    const raw = JSON.parse(readFileSync(join(app.outdir, `${stateless.stackName}.template.json`), 'utf8'));
    for (const [logicalId, r] of Object.entries(raw.Resources as Record<string, { Type: string }>)) {
      if (r.Type !== 'AWS::SQS::Queue') continue;
      const created = await clients.sqs.send(
        new CreateQueueCommand({ QueueName: logicalId, Attributes: { VisibilityTimeout: '30' } }),
      );
      const url = new URL(created.QueueUrl ?? '');
      queueUrls[logicalId] = `${sqsProxy}${url.pathname}`;
    }
    const template = readTemplate();
    const http = template.functionOf('http');
    const originSecretArn = http.environment.TIDINGS_ORIGIN_SECRET_ARN;
    if (originSecretArn) secrets[originSecretArn] = originSecret;

    const sendQueueId = Object.entries(template.resources).find(
      ([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties.RedrivePolicy !== undefined,
    )?.[0];
    if (!sendQueueId) throw new Error('no send queue in the template');
    const emulatorQueueUrl = `${emulators.endpoints.sqs}${new URL(queueUrls[sendQueueId] ?? '').pathname}`;
    ctx = {
      config,
      region,
      template,
      proxy,
      sandbox: bundleSandbox({ region }),
      emulators,
      clients,
      sendQueue: { url: emulatorQueueUrl, arn: `arn:aws:sqs:${region}:${ACCOUNT}:${sendQueueId}` },
      originSecret,
      feed: { url: `${feedBase}/feed.xml`, itemTitle: FEED_ITEM_TITLE },
    };
  }, 600_000);
  afterAll(async () => {
    await ctx?.proxy.stop();
    ctx?.clients.destroy();
    await ctx?.emulators.stop();
    feedServer?.closeAllConnections();
    await new Promise((resolve) => feedServer?.close(resolve));
  });
  return () => {
    if (!ctx) throw new Error('useRehearsal(): not started yet (use it inside a test)');
    return ctx;
  };
}
