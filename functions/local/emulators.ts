import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { tableDefinition } from '../adapters/aws/dynamo-table.ts';
import { cacheExpressionParses } from './expression-cache.ts';
import { cacheTableDescriptions, repairLevelStores } from './level-repairs.ts';
import { listenOn } from './listen.ts';
import { LOOSE_ADDRESS, readEnvelope, readSesForm, SendWindow, sesError } from './ses-front.ts';
import { openSentJournal, type SentJournal } from './ses-journal.ts';
import { type Envelope, SesMailbox, type StoreEmail } from './ses-mailbox.ts';
import { repairLongPolling } from './sqs-repairs.ts';

/**
 * Embedded emulators of the AWS APIs tidings uses, all in this process, on 127.0.0.1: dynalite
 * (DynamoDB), local-aws-sqs (SQS) and aws-ses-v2-local (SES). No Docker, no Java, nothing bound to
 * 0.0.0.0. Tests run them in memory on ephemeral ports; `tidings dev` on fixed ports, with `dataDir`:
 * dynalite then keeps the table in LevelDB under `<dataDir>/dynamodb`, and the SES front keeps its
 * record of every accepted message in `<dataDir>/ses-sent.jsonl` (ses-journal.ts). The SQS emulator
 * stays in memory: `tidings dev` rebuilds the queue from the table on start (local-stack.ts).
 *
 * aws-ses-v2-local does not answer GetSendQuota, does not keep the raw MIME, the envelope or the tags,
 * and parses and keeps every message forever; a front handler takes SendRawEmail instead, into a
 * bounded mailbox (ses-mailbox.ts: the last `mailboxKeep` messages whole, the envelopes and tags at
 * `GET <ses>/tidings/sent`, the exact count at `GET <ses>/tidings/count`). It also refuses what SES
 * refuses (a malformed envelope address: InvalidParameterValue; optionally chosen recipients:
 * MessageRejected; optionally sends over MaxSendRate in any second: Throttling).
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

/** The SES emulator's MaxSendRate unless told otherwise (messages/s). */
export const DEFAULT_SES_RATE = 200;

export interface EmulatorOptions {
  /** Fixed ports on 127.0.0.1 (0 or absent: an ephemeral one). A port in use fails the start, with one line. */
  readonly ports?: { readonly dynamodb?: number; readonly sqs?: number; readonly ses?: number };
  /** Keep the table and the record of sent messages here, across restarts. @default in memory */
  readonly dataDir?: string;
  /** Hand the raw MIME of the messages kept back with `readSesStore` (`SentMessage.raw`). @default true */
  readonly captureRawMime?: boolean;
  /**
   * Messages the SES mailbox keeps whole (raw MIME, parsed when the store is read); older ones keep only
   * their envelope and tags, and the count of all sent stays exact. @default DEFAULT_MAILBOX_KEEP (1,000)
   */
  readonly mailboxKeep?: number;
  /** What the SES emulator answers to GetSendQuota. @default { maxSendRate: 200, max24HourSend: 1e6 } */
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
  /** The other processes the emulators run in (none when in this process): what the stack's RSS sums. */
  readonly pids: readonly number[];
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

/** What `GET /tidings/sent` lists per message id. */
type SentEnvelope = Envelope & { readonly at: number; readonly rawBase64?: string };

const HOST = '127.0.0.1';

function url(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${HOST}:${port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Starts dynalite, local-aws-sqs and aws-ses-v2-local in this process; `part`: only DynamoDB and SQS
 * (`data`) or only SES (`ses`), for a stack that runs them in processes of their own.
 */
export async function startEmulators(
  options: EmulatorOptions = {},
  part: 'all' | 'data' | 'ses' = 'all',
): Promise<Emulators> {
  const started = performance.now();
  const data = part !== 'ses';
  repairLevelStores();
  cacheTableDescriptions();
  cacheExpressionParses();
  const dynalite = require('dynalite') as DynaliteFactory;
  const { ports = {}, dataDir } = options;
  const dynamo = data
    ? dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}),
      })
    : undefined;
  const queues = data
    ? createRequestHandler({
        port: ports.sqs ?? 0,
        hostname: HOST,
        emulateQueueCreationLifecycle: false,
        emulateLazyQueues: false,
      })
    : undefined;
  const sqs = queues
    ? createServer((req, res) => {
        const first = queues.service.Queues[0];
        if (first) repairLongPolling(first);
        void queues.requestHandler(req, res);
      })
    : undefined;
  const settled = await Promise.allSettled([
    dynamo ? listenOn(dynamo, ports.dynamodb ?? 0, 'the DynamoDB emulator') : undefined,
    sqs ? listenOn(sqs, ports.sqs ?? 0, 'the SQS emulator') : undefined,
    part !== 'data' ? startSes(options) : undefined,
  ]);
  const failed = settled.find((r) => r.status === 'rejected');
  const ses = settled[2].status === 'fulfilled' ? settled[2].value : undefined;
  const closeAll = () => Promise.all([dynamo, sqs, ses].map((s) => (s ? close(s) : undefined)));
  if (failed || (part !== 'data' && !ses)) {
    await closeAll();
    throw (
      (failed as PromiseRejectedResult | undefined)?.reason ?? new Error('the SES emulator did not start')
    );
  }
  // Queue URLs carry the port the emulator thinks it has: the one it got, when it was ephemeral.
  if (queues && sqs) queues.service.PORT = (sqs.address() as AddressInfo).port;
  const startupMs = performance.now() - started;
  const sesUrl = ses ? url(ses) : '';
  return {
    endpoints: { dynamodb: dynamo ? url(dynamo) : '', sqs: sqs ? url(sqs) : '', ses: sesUrl },
    sesStoreUrl: `${sesUrl}/store`,
    mailboxUrl: `${sesUrl}/`,
    startupMs,
    pids: [],
    async stop() {
      await closeAll();
    },
  };
}

/**
 * aws-ses-v2-local's express app, behind a small front handler on our own server. The front takes
 * SendRawEmail itself (checks the envelope as SES does, applies the quota, keeps the message in a
 * bounded SesMailbox) and answers GetSendQuota; everything else (the web mailbox, its v2 API) goes to the
 * emulator's app. The emulator's own SendRawEmail parsed every message on arrival (mailparser, ~10 ms)
 * and kept it for good: the local stack's pace limit and most of its memory.
 */
async function startSes(options: EmulatorOptions): Promise<Server> {
  const sesLocal = require('aws-ses-v2-local') as { default: SesServerFactory };
  const sesStore = require('aws-ses-v2-local/dist/store') as { getStoreReadonly(): { emails: StoreEmail[] } };
  // The emulator insists on listening itself; let it, on an ephemeral loopback port, and take its app.
  const inner = await sesLocal.default({ host: HOST, port: 0 });
  const app = inner.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  await close(inner);
  const captureRaw = options.captureRawMime ?? true;
  const quota = options.sendQuota ?? { maxSendRate: DEFAULT_SES_RATE, max24HourSend: 1_000_000 };
  const mailbox = new SesMailbox(options.mailboxKeep === undefined ? {} : { keep: options.mailboxKeep });
  const window = new SendWindow(quota.maxSendRate);
  const journal: SentJournal | undefined = options.dataDir
    ? openSentJournal(join(options.dataDir, 'ses-sent.jsonl'))
    : undefined;
  // What earlier runs of a stack kept on disk sent: their envelopes (no body) come back into the mailbox.
  mailbox.restore(journal?.records ?? []);
  // SentLast24Hours: only what was sent in the last day counts (not a reset quota on each restart).
  const dayAgo = Date.now() / 1000 - 86_400;
  const olderThanADay = (journal?.records ?? []).filter((r) => r.at <= dayAgo).length;

  const front = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/tidings/sent')) {
      const all = mailbox.envelopes();
      if (!captureRaw) for (const e of Object.values(all)) delete e.rawBase64;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(all));
      return;
    }
    if (req.method === 'POST' && req.url === '/clear-store') journal?.clear();
    if (mailbox.serve(req, res, () => sesStore.getStoreReadonly().emails)) return;
    const isForm =
      req.method === 'POST' && req.url === '/' && /urlencoded/.test(req.headers['content-type'] ?? '');
    if (!isForm) {
      app(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { form, raw } = readSesForm(Buffer.concat(chunks));
      const action = form.get('Action');
      if (action === 'GetSendQuota') {
        res.setHeader('content-type', 'text/xml');
        res.end(
          `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult>` +
            `<SentLast24Hours>${mailbox.count - olderThanADay}</SentLast24Hours><Max24HourSend>${quota.max24HourSend}</Max24HourSend>` +
            `<MaxSendRate>${quota.maxSendRate}</MaxSendRate></GetSendQuotaResult>` +
            `<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
        );
        return;
      }
      if (action === 'SendRawEmail') {
        sendRaw(form, raw, res);
        return;
      }
      (req as IncomingMessage & { body?: unknown }).body = Object.fromEntries(form);
      app(req, res);
    });
  });

  const sendRaw = (form: URLSearchParams, raw: Buffer | undefined, res: ServerResponse) => {
    const envelope = readEnvelope(form);
    if (!raw || raw.length === 0) {
      sesError(res, 'InvalidParameterValue', 'RawMessage.Data is required');
      return;
    }
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
    if (options.enforceMaxSendRate && !window.take(Date.now())) {
      sesError(res, 'Throttling', 'Maximum sending rate exceeded.');
      return;
    }
    const messageId = mailbox.accept(envelope, raw);
    // On disk before the answer leaves: see ses-journal.ts.
    journal?.append({ messageId, ...envelope, at: Math.floor(Date.now() / 1000) });
    res.setHeader('content-type', 'text/xml');
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">` +
        `<SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult>` +
        `<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></SendRawEmailResponse>`,
    );
  };
  await listenOn(front, options.ports?.ses ?? 0, 'the SES emulator');
  return front;
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

/**
 * Every message the SES emulator accepted, oldest first, with the envelope and tags, and with the
 * subject, bodies and raw MIME for the last `mailboxKeep` (older ones: `from` is the envelope's Source,
 * `to` its Destinations, `subject` ''). `bodies: false` skips the parse (the envelopes and tags only: what
 * reconciliation and counting need). `storeUrl` is `Emulators.sesStoreUrl`.
 */
export async function readSesStore(
  storeUrl: string,
  options: { readonly bodies?: boolean } = {},
): Promise<SentMessage[]> {
  const base = storeUrl.replace(/\/store\/?$/, '');
  const [sent, store] = await Promise.all([
    fetch(`${base}/tidings/sent`).then((r) => r.json() as Promise<Record<string, SentEnvelope>>),
    options.bodies === false
      ? { emails: [] }
      : fetch(`${base}/store`).then((r) => r.json() as Promise<{ emails: StoreEmail[] }>),
  ]);
  const parsed = new Map(store.emails.map((e) => [e.messageId, e]));
  const messages: SentMessage[] = Object.entries(sent).map(([messageId, env]) => {
    const e = parsed.get(messageId);
    parsed.delete(messageId);
    return {
      messageId,
      from: e?.from ?? env.source ?? '',
      to: e?.destination.to ?? env.destinations,
      subject: e?.subject ?? '',
      ...(e?.body.html ? { html: e.body.html } : {}),
      ...(e?.body.text ? { text: e.body.text } : {}),
      at: env.at,
      destinations: env.destinations,
      tags: env.tags,
      ...(env.source ? { source: env.source } : {}),
      ...(env.configurationSet ? { configurationSet: env.configurationSet } : {}),
      ...(env.rawBase64 ? { raw: Buffer.from(env.rawBase64, 'base64') } : {}),
    };
  });
  // What the emulator's own API stored (its v2 SendEmail): no envelope, no tags.
  for (const e of parsed.values()) {
    messages.push({
      messageId: e.messageId,
      from: e.from,
      to: e.destination.to,
      subject: e.subject,
      ...(e.body.html ? { html: e.body.html } : {}),
      ...(e.body.text ? { text: e.body.text } : {}),
      at: e.at,
      destinations: [],
      tags: {},
    });
  }
  return messages;
}

/** How many messages the SES emulator accepted (SendRawEmail), kept or not. */
export async function countSesStore(storeUrl: string): Promise<number> {
  const base = storeUrl.replace(/\/store\/?$/, '');
  const res = await fetch(`${base}/tidings/count`);
  return ((await res.json()) as { sent: number }).sent;
}
