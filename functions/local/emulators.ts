import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { tableDefinition } from '../adapters/aws/dynamo-table.ts';
import { listenOn } from './listen.ts';
import { openSentJournal, type SentJournal } from './ses-journal.ts';

/**
 * Embedded emulators of the AWS APIs tidings uses, all in this process, on 127.0.0.1: dynalite
 * (DynamoDB), local-aws-sqs (SQS) and aws-ses-v2-local (SES). No Docker, no Java, nothing bound to
 * 0.0.0.0. Tests run them in memory on ephemeral ports; `tidings dev` on fixed ports, with `dataDir`:
 * dynalite then keeps the table in LevelDB under `<dataDir>/dynamodb`, and the SES front keeps its
 * record of every accepted message in `<dataDir>/ses-sent.jsonl` (ses-journal.ts). The SQS emulator
 * stays in memory: `tidings dev` rebuilds the queue from the table on start (local-stack.ts).
 *
 * aws-ses-v2-local keeps its mailbox in a module-level store, so two emulator sets in one process
 * share one mailbox (vitest runs each test file in its own process). It does not answer
 * GetSendQuota and does not keep the raw MIME, the envelope or the tags; the front handler here
 * answers GetSendQuota and records those, served at `GET <ses>/tidings/sent`. It also refuses what
 * SES refuses (a malformed envelope address: InvalidParameterValue; optionally chosen recipients:
 * MessageRejected; optionally sends over MaxSendRate: Throttling).
 *
 * Startup of all three measured on this machine (2 cores, shared with other work): 0.44–1.6 s.
 */

const require = createRequire(import.meta.url);

interface DynaliteServer extends Server {}
type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => DynaliteServer;
type SesServerFactory = (config?: { host?: string; port?: number }) => Promise<Server>;

export interface EmulatorOptions {
  /** Fixed ports on 127.0.0.1 (0 or absent: an ephemeral one). A port in use fails the start, with one line. */
  readonly ports?: { readonly dynamodb?: number; readonly sqs?: number; readonly ses?: number };
  /** Keep the table and the record of sent messages here, across restarts. @default in memory */
  readonly dataDir?: string;
  /** Keep the raw MIME of every message sent (memory: ~the message size each). @default true */
  readonly captureRawMime?: boolean;
  /** What the SES emulator answers to GetSendQuota. @default { maxSendRate: 200, max24HourSend: 1e6, sentLast24Hours: 0 } */
  readonly sendQuota?: { readonly maxSendRate: number; readonly max24HourSend: number };
  /**
   * Refuse sends over `sendQuota.maxSendRate` in any one-second window with `Throttling`
   * ("Maximum sending rate exceeded."), as SES does. @default false
   */
  readonly enforceMaxSendRate?: boolean;
  /** Recipients SES should refuse with `MessageRejected`, as it does for some addresses. @default none */
  readonly rejectRecipient?: (address: string) => boolean;
}

export interface Emulators {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  /** The SES emulator's store of sent messages (`GET` it; aws-ses-v2-local's `/store`). */
  readonly sesStoreUrl: string;
  /** The SES emulator's web mailbox. */
  readonly mailboxUrl: string;
  /** Milliseconds it took to start all three. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

/** One message as the SES emulator recorded it, with the envelope and raw MIME the front recorded. */
export interface SentMessage {
  readonly messageId: string;
  /** The From header, as parsed by the emulator. */
  readonly from: string;
  /** The To header addresses, as parsed by the emulator. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** Epoch seconds. */
  readonly at: number;
  /** The envelope: SendRawEmail's Source and Destinations. */
  readonly source?: string;
  readonly destinations: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly configurationSet?: string;
  /** The MIME exactly as sent, when captureRawMime was on. */
  readonly raw?: Buffer;
}

interface Envelope {
  /** Epoch seconds, when the emulator accepted it. */
  at?: number;
  source?: string;
  destinations: string[];
  tags: Record<string, string>;
  configurationSet?: string;
  rawBase64?: string;
}

const HOST = '127.0.0.1';

function url(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${HOST}:${port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Starts dynalite, local-aws-sqs and aws-ses-v2-local in this process. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const started = performance.now();
  const dynalite = require('dynalite') as DynaliteFactory;
  const { ports = {}, dataDir } = options;
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}),
  });
  const { service, requestHandler } = createRequestHandler({
    port: ports.sqs ?? 0,
    hostname: HOST,
    emulateQueueCreationLifecycle: false,
    emulateLazyQueues: false,
  });
  const sqs = createServer((req, res) => void requestHandler(req, res));
  const settled = await Promise.allSettled([
    listenOn(dynamo, ports.dynamodb ?? 0, 'the DynamoDB emulator'),
    listenOn(sqs, ports.sqs ?? 0, 'the SQS emulator'),
    startSes(options),
  ]);
  const failed = settled.find((r) => r.status === 'rejected');
  const ses = settled[2].status === 'fulfilled' ? settled[2].value : undefined;
  if (failed || !ses) {
    await Promise.all([close(dynamo), close(sqs), ...(ses ? [close(ses)] : [])]);
    throw (
      (failed as PromiseRejectedResult | undefined)?.reason ?? new Error('the SES emulator did not start')
    );
  }
  // Queue URLs carry the port the emulator thinks it has: the one it got, when it was ephemeral.
  service.PORT = (sqs.address() as AddressInfo).port;
  const startupMs = performance.now() - started;
  const sesUrl = url(ses);
  return {
    endpoints: { dynamodb: url(dynamo), sqs: url(sqs), ses: sesUrl },
    sesStoreUrl: `${sesUrl}/store`,
    mailboxUrl: `${sesUrl}/`,
    startupMs,
    async stop() {
      await Promise.all([close(dynamo), close(sqs), close(ses)]);
    },
  };
}

/**
 * aws-ses-v2-local's express app, behind a small front handler on our own server: the front parses
 * the form body once (express's parsers then skip it), answers GetSendQuota, and records the
 * envelope, tags and raw MIME of each SendRawEmail against the message id the emulator returns.
 */
async function startSes(options: EmulatorOptions): Promise<Server> {
  const sesLocal = require('aws-ses-v2-local') as { default: SesServerFactory };
  // The emulator insists on listening itself; let it, on an ephemeral loopback port, and take its app.
  const inner = await sesLocal.default({ host: HOST, port: 0 });
  const app = inner.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  await close(inner);
  const captureRaw = options.captureRawMime ?? true;
  const quota = options.sendQuota ?? { maxSendRate: 200, max24HourSend: 1_000_000 };
  const envelopes = new Map<string, Envelope>();
  const journal: SentJournal | undefined = options.dataDir
    ? openSentJournal(join(options.dataDir, 'ses-sent.jsonl'))
    : undefined;
  for (const { messageId, ...record } of journal?.records ?? [])
    envelopes.set(messageId, { ...record, destinations: [...record.destinations], tags: { ...record.tags } });
  // SentLast24Hours: what earlier runs sent in the last day counts too (not a reset quota on each restart).
  const dayAgo = Date.now() / 1000 - 86_400;
  let sentCount = (journal?.records ?? []).filter((r) => r.at > dayAgo).length;
  const recent: number[] = [];

  const front = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/tidings/sent')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(Object.fromEntries(envelopes)));
      return;
    }
    if (req.method === 'POST' && req.url === '/clear-store') {
      envelopes.clear();
      journal?.clear();
    }
    const isForm =
      req.method === 'POST' && req.url === '/' && /urlencoded/.test(req.headers['content-type'] ?? '');
    if (!isForm) {
      app(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const body = Object.fromEntries(form);
      const action = form.get('Action');
      if (action === 'GetSendQuota') {
        res.setHeader('content-type', 'text/xml');
        res.end(
          `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult>` +
            `<SentLast24Hours>${sentCount}</SentLast24Hours><Max24HourSend>${quota.max24HourSend}</Max24HourSend>` +
            `<MaxSendRate>${quota.maxSendRate}</MaxSendRate></GetSendQuotaResult>` +
            `<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
        );
        return;
      }
      if (action === 'SendRawEmail') {
        const envelope = readEnvelope(form, captureRaw);
        // SES checks the envelope addresses before accepting; the emulator does not, so check here.
        const bad = envelope.destinations.find((d) => !LOOSE_ADDRESS.test(d));
        if (bad !== undefined) {
          sesError(res, 'InvalidParameterValue', `Missing final '@domain' or illegal address: ${bad}`);
          return;
        }
        const rejected = envelope.destinations.find((d) => options.rejectRecipient?.(d));
        if (rejected !== undefined) {
          sesError(res, 'MessageRejected', `Email address is not verified or was rejected: ${rejected}`);
          return;
        }
        if (options.enforceMaxSendRate) {
          const now = Date.now();
          while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
          if (recent.length >= quota.maxSendRate) {
            sesError(res, 'Throttling', 'Maximum sending rate exceeded.');
            return;
          }
          recent.push(now);
        }
        // The emulator answers with an XML body carrying the message id; keep the envelope under it.
        const end = res.end.bind(res);
        const capture = (chunk: unknown) => {
          const text =
            typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
          const m = /<MessageId>([^<]+)<\/MessageId>/.exec(text);
          if (m?.[1]) {
            envelope.at = Math.floor(Date.now() / 1000);
            envelopes.set(m[1], envelope);
            sentCount += 1;
            // On disk before the answer leaves (this runs inside res.end): see ses-journal.ts.
            const { rawBase64: _raw, ...record } = envelope;
            journal?.append({ messageId: m[1], ...record, at: envelope.at });
          }
        };
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          capture(chunk);
          return (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest);
        }) as typeof res.end;
      }
      (req as IncomingMessage & { body?: unknown }).body = body;
      app(req, res);
    });
  });
  await listenOn(front, options.ports?.ses ?? 0, 'the SES emulator');
  return front;
}

/** What SES itself would refuse as an envelope address: no @, no dot in the domain, spaces. */
const LOOSE_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function sesError(res: ServerResponse, code: string, message: string): void {
  res.statusCode = 400;
  res.setHeader('content-type', 'text/xml');
  res.end(
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message.replace(/[<&>]/g, '')}</Message></Error>` +
      `<RequestId>local</RequestId></ErrorResponse>`,
  );
}

function readEnvelope(form: URLSearchParams, captureRaw: boolean): Envelope {
  const destinations: string[] = [];
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`Destinations.member.${i}`); i++)
    destinations.push(form.get(`Destinations.member.${i}`) ?? '');
  for (let i = 1; form.has(`Tags.member.${i}.Name`); i++) {
    tags[form.get(`Tags.member.${i}.Name`) ?? ''] = form.get(`Tags.member.${i}.Value`) ?? '';
  }
  const source = form.get('Source');
  const configurationSet = form.get('ConfigurationSetName');
  const raw = form.get('RawMessage.Data');
  return {
    destinations,
    tags,
    ...(source ? { source } : {}),
    ...(configurationSet ? { configurationSet } : {}),
    ...(captureRaw && raw ? { rawBase64: raw } : {}),
  };
}

/** Creates the single table (see docs/table-design.md) and waits until it is ACTIVE. */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
}

export interface QueueUrls {
  /** Queue name → URL, for each name given. */
  readonly urls: Readonly<Record<string, string>>;
  /** Queue name → its dead-letter queue's URL. */
  readonly dlqUrls: Readonly<Record<string, string>>;
}

/**
 * Creates each queue with a dead-letter queue `<name>-dlq` and a redrive policy
 * (maxReceiveCount, default 5), as the stack does on AWS.
 */
export async function createQueues(
  client: SQSClient,
  names: readonly string[],
  options: { readonly maxReceiveCount?: number; readonly visibilityTimeoutSeconds?: number } = {},
): Promise<QueueUrls> {
  const urls: Record<string, string> = {};
  const dlqUrls: Record<string, string> = {};
  for (const name of names) {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqUrl = dlq.QueueUrl ?? '';
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
          RedrivePolicy: JSON.stringify({
            maxReceiveCount: options.maxReceiveCount ?? 5,
            deadLetterTargetArn: attrs.Attributes?.QueueArn,
          }),
        },
      }),
    );
    urls[name] = created.QueueUrl ?? '';
    dlqUrls[name] = dlqUrl;
  }
  return { urls, dlqUrls };
}

interface StoreEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/**
 * Every message the SES emulator accepted, oldest first, joined with the envelope, tags and raw
 * MIME recorded by the front handler. `storeUrl` is `Emulators.sesStoreUrl`.
 */
export async function readSesStore(storeUrl: string): Promise<SentMessage[]> {
  const base = storeUrl.replace(/\/store\/?$/, '');
  const [store, sent] = await Promise.all([
    fetch(`${base}/store`).then((r) => r.json() as Promise<{ emails: StoreEmail[] }>),
    fetch(`${base}/tidings/sent`).then((r) => (r.ok ? (r.json() as Promise<Record<string, Envelope>>) : {})),
  ]);
  return store.emails.map((e) => {
    const env = (sent as Record<string, Envelope>)[e.messageId];
    return {
      messageId: e.messageId,
      from: e.from,
      to: e.destination.to,
      subject: e.subject,
      ...(e.body.html ? { html: e.body.html } : {}),
      ...(e.body.text ? { text: e.body.text } : {}),
      at: e.at,
      destinations: env?.destinations ?? [],
      tags: env?.tags ?? {},
      ...(env?.source ? { source: env.source } : {}),
      ...(env?.configurationSet ? { configurationSet: env.configurationSet } : {}),
      ...(env?.rawBase64 ? { raw: Buffer.from(env.rawBase64, 'base64') } : {}),
    };
  });
}
