import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE_KEYS } from '../../functions/adapters/aws/dynamo-table.ts';
import { type SchedulerState, schedulerHandler } from '../helpers/scheduler-stand-in.ts';
import { ACCOUNT } from './template.ts';

// A recording proxy on 127.0.0.1, one port per AWS service: the bundles reach it through the standard
// AWS_ENDPOINT_URL_<SERVICE> variables. It tells the service from the port and the action from the
// request, records every call as IAM sees it (action, resource ARN, condition keys), and forwards it to the
// emulator (DynamoDB, SQS, SES) or answers it itself where there is no emulator (Secrets Manager, Lambda's
// async Invoke, S3 objects, EventBridge Scheduler through test/helpers/scheduler-stand-in.ts).

// biome-ignore lint/suspicious/noExplicitAny: AWS JSON bodies.
type Json = any;

/** One AWS call as IAM authorizes it. */
export interface RecordedCall {
  /** The function whose bundle made the call. */
  readonly caller: string;
  /** The API operation, e.g. SendMessageBatch. */
  readonly operation: string;
  /** The IAM action, e.g. sqs:SendMessage. */
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
}

export interface ProxyOptions {
  readonly region: string;
  /** The emulators' endpoints. */
  readonly upstream: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  /** Secret ARN → its current value (Secrets Manager has no emulator here). */
  readonly secrets: Readonly<Record<string, string>>;
}

export interface RecordingProxy {
  /** AWS_ENDPOINT_URL_<SERVICE> → the proxy's port for that service. */
  readonly endpointEnv: Readonly<Record<string, string>>;
  readonly calls: RecordedCall[];
  /** Payloads of the asynchronous Invokes, by function name. */
  readonly invocations: { functionName: string; payload: Json }[];
  /** S3 objects, by `bucket/key`. */
  readonly objects: Map<string, string>;
  /** The one-time schedules the functions set (EventBridge Scheduler has no emulator). */
  readonly scheduler: SchedulerState;
  /**
   * SES faults by recipient, which the SES emulator cannot produce: `throttle` answers every send to that
   * address with SES's Throttling error; `unavailable` answers the next one with a 503 (SES may or may not
   * have sent it: the outcome is unknown), then lets them through.
   */
  readonly sesFaults: Map<string, 'throttle' | 'unavailable'>;
  /** Every call until the next change is attributed to this function. */
  caller: string;
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void;

export async function startRecordingProxy(options: ProxyOptions): Promise<RecordingProxy> {
  const { region } = options;
  const servers: Server[] = [];
  const proxy: RecordingProxy = {
    endpointEnv: {},
    calls: [],
    invocations: [],
    objects: new Map(),
    scheduler: { schedules: new Map(), calls: [] },
    sesFaults: new Map(),
    caller: 'none',
    async stop() {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
  const record = (
    operation: string,
    action: string,
    resource: string,
    context: RecordedCall['context'] = {},
  ) => proxy.calls.push({ caller: proxy.caller, operation, action, resource, context });
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;

  const dynamodb: Handler = (req, body, res) => {
    const operation = String(req.headers['x-amz-target']).split('.')[1] ?? '?';
    const input = JSON.parse(body.toString('utf8') || '{}');
    for (const call of dynamoCalls(operation, input)) {
      const resource = arn('dynamodb', `table/${call.table}${call.index ? `/index/${call.index}` : ''}`);
      record(operation, `dynamodb:${operation}`, resource, { 'dynamodb:LeadingKeys': call.leadingKeys });
    }
    return forward(options.upstream.dynamodb, req, body, res);
  };

  const sqs: Handler = (req, body, res) => {
    const operation = String(req.headers['x-amz-target']).split('.')[1] ?? '?';
    const input = JSON.parse(body.toString('utf8') || '{}');
    const queueName = String(input.QueueUrl ?? '')
      .split('/')
      .pop();
    // SendMessageBatch is authorized as sqs:SendMessage (and the other *Batch calls likewise).
    record(operation, `sqs:${operation.replace(/Batch$/, '')}`, arn('sqs', String(queueName)));
    return forward(options.upstream.sqs, req, body, res);
  };

  const ses: Handler = (req, body, res) => {
    const form = new URLSearchParams(body.toString('latin1'));
    const operation = form.get('Action') ?? '?';
    if (operation === 'SendRawEmail') {
      const source = form.get('Source') ?? '';
      const from = (/<([^>]+)>/.exec(source)?.[1] ?? source).toLowerCase();
      const context = { 'ses:FromAddress': from };
      // SES authorizes a send on the sending identity and on the configuration set it names.
      record(operation, 'ses:SendRawEmail', arn('ses', `identity/${from.split('@')[1]}`), context);
      const set = form.get('ConfigurationSetName');
      if (set) record(operation, 'ses:SendRawEmail', arn('ses', `configuration-set/${set}`), context);
      const to = (form.get('Destinations.member.1') ?? '').toLowerCase();
      const fault = proxy.sesFaults.get(to);
      if (fault === 'unavailable') proxy.sesFaults.delete(to);
      if (fault) return sesError(res, fault);
    } else record(operation, `ses:${operation}`, '*');
    return forward(options.upstream.ses, req, body, res);
  };

  const secretsmanager: Handler = (_req, body, res) => {
    const input = JSON.parse(body.toString('utf8') || '{}');
    const id = String(input.SecretId);
    record('GetSecretValue', 'secretsmanager:GetSecretValue', id);
    const value = options.secrets[id];
    if (value === undefined || (input.VersionStage && input.VersionStage !== 'AWSCURRENT')) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: `no ${input.VersionStage ?? 'secret'}`,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        ARN: id,
        Name: id,
        SecretString: value,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
      }),
    );
  };

  const lambda: Handler = (req, body, res) => {
    const name = decodeURIComponent(/\/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '?');
    const functionArn = name.startsWith('arn:') ? name : arn('lambda', `function:${name}`);
    record('Invoke', 'lambda:InvokeFunction', functionArn);
    proxy.invocations.push({ functionName: name, payload: JSON.parse(body.toString('utf8') || 'null') });
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('');
  };

  const s3: Handler = (req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://s3');
    const [bucket, ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const method = req.method ?? 'GET';
    const operation = method === 'PUT' ? 'PutObject' : method === 'GET' ? 'GetObject' : `${method}Object`;
    record(operation, `s3:${operation}`, `arn:aws:s3:::${bucket}/${key}`);
    const stored = proxy.objects.get(`${bucket}/${key}`);
    if (method === 'PUT') {
      proxy.objects.set(`${bucket}/${key}`, body.toString('utf8'));
      res.writeHead(200, { etag: '"1"' });
      res.end();
    } else if (method === 'GET' && stored !== undefined) {
      res.writeHead(200, { 'content-type': 'text/markdown', 'content-length': Buffer.byteLength(stored) });
      res.end(stored);
    } else {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
    }
  };

  const answerSchedule = schedulerHandler(proxy.scheduler);
  const scheduler: Handler = (req, body, res) => {
    const name = decodeURIComponent(/^\/schedules\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '?');
    const text = body.toString('utf8');
    const input = req.method === 'DELETE' || !text ? {} : JSON.parse(text);
    const group =
      req.method === 'DELETE'
        ? (new URL(req.url ?? '/', 'http://scheduler').searchParams.get('groupName') ?? 'default')
        : String(input.GroupName ?? 'default');
    const operation =
      req.method === 'POST' ? 'CreateSchedule' : req.method === 'PUT' ? 'UpdateSchedule' : 'DeleteSchedule';
    record(operation, `scheduler:${operation}`, arn('scheduler', `schedule/${group}/${name}`));
    // Creating or updating a schedule passes its target's role to Scheduler: IAM checks iam:PassRole too.
    const role = input.Target?.RoleArn;
    if (role)
      record(operation, 'iam:PassRole', String(role), { 'iam:PassedToService': 'scheduler.amazonaws.com' });
    answerSchedule(req, text, res);
  };

  const services: Record<string, Handler> = {
    scheduler,
    dynamodb,
    sqs,
    ses,
    secrets_manager: secretsmanager,
    lambda,
    s3,
  };
  const env: Record<string, string> = {};
  for (const [service, handle] of Object.entries(services)) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        Promise.resolve(handle(req, Buffer.concat(chunks), res)).catch((error: Error) => {
          res.writeHead(500);
          res.end(String(error.message));
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] =
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  Object.assign(proxy.endpointEnv, env);
  return proxy;
}

/** SES's Query-protocol error for a fault. */
function sesError(res: ServerResponse, fault: 'throttle' | 'unavailable'): void {
  const [status, type, code, message] =
    fault === 'throttle'
      ? [400, 'Sender', 'Throttling', 'Maximum sending rate exceeded.']
      : [503, 'Receiver', 'ServiceUnavailable', 'Service unavailable.'];
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>rehearsal</RequestId></ErrorResponse>`,
  );
}

function forward(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const target = new URL(req.url ?? '/', upstream);
  return new Promise((resolve, reject) => {
    const out = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 500, reply.headers);
        reply.pipe(res);
        reply.on('end', () => resolve());
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

/** The table (or index) each DynamoDB call touches, with the partition keys IAM's LeadingKeys sees. */
function dynamoCalls(
  operation: string,
  input: Json,
): { table: string; index?: string; leadingKeys: string[] }[] {
  const pk = (item: Json): string => item?.[TABLE_KEYS.pk]?.S;
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [{ table: input.TableName, leadingKeys: [pk(input.Key)] }];
    case 'PutItem':
      return [{ table: input.TableName, leadingKeys: [pk(input.Item)] }];
    case 'BatchGetItem':
      return Object.entries(input.RequestItems as Record<string, Json>).map(([table, r]) => ({
        table,
        leadingKeys: r.Keys.map(pk),
      }));
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, Json[]>).map(([table, writes]) => ({
        table,
        leadingKeys: writes.map((w) => pk(w.PutRequest?.Item ?? w.DeleteRequest?.Key)),
      }));
    case 'Query': {
      const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
      const keyName = input.IndexName
        ? Object.values(TABLE_KEYS).find((k) => typeof k === 'object' && k.name === input.IndexName)
        : undefined;
      const partition = typeof keyName === 'object' ? keyName.pk : TABLE_KEYS.pk;
      const keys: string[] = [];
      for (const m of String(input.KeyConditionExpression).matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
        const name = m[1]?.startsWith('#') ? names[m[1]] : m[1];
        if (name === partition) keys.push(input.ExpressionAttributeValues?.[m[2] ?? '']?.S);
      }
      return [
        { table: input.TableName, ...(input.IndexName ? { index: input.IndexName } : {}), leadingKeys: keys },
      ];
    }
    default:
      return [{ table: input.TableName ?? '?', leadingKeys: [] }];
  }
}
