// A lean DynamoDB client for the send path's two writes per message: the conditional claim (PutItem) and
// its result (UpdateItem). One signed JSON POST on a keep-alive socket.
//
// Why hand-written: the profile of an edition on the local stack (2,000 readers at 2,000/s, one process,
// `node --cpu-prof`) put 20 % of the CPU in the SDK's per-call machinery (@smithy/core's middleware stack,
// schema serde, endpoint resolution, the user agent, lib-dynamodb's key walk) and 17 % in garbage collection,
// for two small writes per message; the SES call had already left the SDK for the same reason
// (ses-query-transport.ts). `npm run bench -- e2e` runs the same edition with the SDK's writes right after:
// 2,000 readers at 2,000/s, 3.3–5.5 ms of CPU a message against 6.1–6.6 ms (286 against 150 msg/s at load 7).
// As there, the SDK keeps the hard parts: @smithy/signature-v4 signs and the SDK's credential provider
// supplies the Lambda role's keys. Everything else in the ledger (reads, queries, the rare paths) stays on the
// DocumentClient, and so does every other store.
import { type Reply, SignedPost, type SigningCredentials } from './signed-post.ts';

/** As the SDK's standard retry mode: 3 attempts, full-jitter backoff from 100 ms. */
const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100;
const THROTTLED = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
]);

/** A value the lean writes carry: the ledger's items are strings and numbers only. */
export type JsonScalar = string | number | boolean | null;
export type JsonItem = Readonly<Record<string, JsonScalar>>;

export interface PutItemInput {
  readonly TableName: string;
  readonly Item: JsonItem;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: JsonItem;
}

export interface UpdateItemInput {
  readonly TableName: string;
  readonly Key: JsonItem;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: JsonItem;
}

export interface DynamoJsonClientOptions {
  readonly region: string;
  /** The DynamoDB endpoint; default `https://dynamodb.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  /** The SDK's credential provider (cached and refreshed by the SDK), or fixed emulator credentials. */
  readonly credentials: SigningCredentials | (() => Promise<SigningCredentials>);
  /** Sockets kept alive. @default 64 */
  readonly maxSockets?: number;
  /** Milliseconds before an attempt is abandoned. @default 30000 */
  readonly timeoutMs?: number;
  /** Waits between attempts (tests inject a fast one). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** An error as DynamoDB names it: `name` is the `__type` after `#` (ConditionalCheckFailedException…). */
export class DynamoCallError extends Error {
  readonly status: number;
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

/**
 * PutItem and UpdateItem over DynamoDB's JSON protocol, with the inputs the DocumentClient takes (plain
 * values). Errors keep DynamoDB's names, so `isConditionFailure` reads them as it reads the SDK's. Retries as
 * the SDK's standard mode does (throttling, 5xx, a socket error: 3 attempts, full jitter), so a conditional
 * write behaves as it does through the SDK, a retried claim included.
 */
export class DynamoJsonClient {
  readonly #post: SignedPost;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: DynamoJsonClientOptions) {
    this.#post = new SignedPost({
      service: 'dynamodb',
      region: options.region,
      url: new URL(options.endpoint ?? `https://dynamodb.${options.region}.amazonaws.com/`),
      credentials: options.credentials,
      ...(options.maxSockets ? { maxSockets: options.maxSockets } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async putItem(input: PutItemInput): Promise<void> {
    await this.#call('PutItem', {
      TableName: input.TableName,
      Item: marshallItem(input.Item),
      ...expression(input),
    });
  }

  async updateItem(input: UpdateItemInput): Promise<void> {
    await this.#call('UpdateItem', {
      TableName: input.TableName,
      Key: marshallItem(input.Key),
      UpdateExpression: input.UpdateExpression,
      ...expression(input),
    });
  }

  /** Closes the kept-alive sockets. */
  destroy(): void {
    this.#post.destroy();
  }

  async #call(operation: string, payload: unknown): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    for (let attempt = 1; ; attempt++) {
      let reply: Reply;
      try {
        reply = await this.#send(operation, body);
      } catch (error) {
        // No answer (a reset socket, a timeout): retried as the SDK retries it.
        if (attempt >= MAX_ATTEMPTS) throw error;
        await this.#backoff(attempt);
        continue;
      }
      if (reply.status < 300) return;
      const failure = parseError(reply, operation);
      if (attempt >= MAX_ATTEMPTS || !(reply.status >= 500 || THROTTLED.has(failure.name))) throw failure;
      await this.#backoff(attempt);
    }
  }

  #backoff(attempt: number): Promise<void> {
    return this.#sleep(Math.random() * Math.min(20_000, BACKOFF_BASE_MS * 2 ** attempt));
  }

  #send(operation: string, body: Buffer): Promise<Reply> {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    };
    return this.#post.post(headers, body, `DynamoDB ${operation}`);
  }
}

function expression(input: PutItemInput | UpdateItemInput): Record<string, unknown> {
  return {
    ...(input.ConditionExpression ? { ConditionExpression: input.ConditionExpression } : {}),
    ...(input.ExpressionAttributeNames ? { ExpressionAttributeNames: input.ExpressionAttributeNames } : {}),
    ...(input.ExpressionAttributeValues
      ? { ExpressionAttributeValues: marshallItem(input.ExpressionAttributeValues) }
      : {}),
  };
}

/** DynamoDB's attribute values for the scalars the ledger writes; anything else is a programming error. */
function marshallItem(item: JsonItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(item)) {
    if (v === undefined) continue;
    if (typeof v === 'string') out[name] = { S: v };
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError(`${name}: ${v} is not a number DynamoDB can store`);
      out[name] = { N: String(v) };
    } else if (typeof v === 'boolean') out[name] = { BOOL: v };
    else if (v === null) out[name] = { NULL: true };
    else throw new TypeError(`${name}: the lean DynamoDB client writes only strings, numbers and booleans`);
  }
  return out;
}

function parseError(reply: Reply, operation: string): DynamoCallError {
  let type = '';
  let message = '';
  try {
    const doc = JSON.parse(reply.body) as { __type?: string; message?: string; Message?: string };
    type = doc.__type ?? '';
    message = doc.message ?? doc.Message ?? '';
  } catch {
    // not JSON (a proxy's page, a 5xx): named by its status
  }
  const name = type.slice(type.lastIndexOf('#') + 1) || `HTTP${reply.status}`;
  return new DynamoCallError(
    name,
    message || `HTTP ${reply.status} from DynamoDB for ${operation}: ${reply.body.slice(0, 200)}`,
    reply.status,
  );
}
