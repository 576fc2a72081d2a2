// The smallest servers that speak an AWS wire protocol on 127.0.0.1, for the services no emulator is
// installed for (CloudFormation, S3 PutObject, Secrets Manager): the real SDK clients (or the CLI, through
// the standard AWS_ENDPOINT_URL_* variables) build, sign and parse every call against them.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { useSchedulerStandIn } from './scheduler-stand-in.ts';

/** Answers one request; `body` is the whole request body as text. */
export type StandInHandler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a stand-in server on an ephemeral port of 127.0.0.1. */
export async function startStandIn(handle: StandInHandler): Promise<StandIn> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * A stand-in for one test file: started in beforeAll, closed in afterAll. Read the URL inside tests or hooks.
 */
export function useStandIn(handle: StandInHandler): () => string {
  let standIn: StandIn | undefined;
  beforeAll(async () => {
    standIn = await startStandIn(handle);
  });
  afterAll(async () => {
    await standIn?.close();
  });
  return () => {
    if (!standIn) throw new Error('useStandIn(): the server is not started yet (use it inside a test)');
    return standIn.url;
  };
}

/** An SDK client's settings for a stand-in: its URL, dummy credentials, one attempt (errors show at once). */
export function standInClientConfig(url: string) {
  return {
    region: 'eu-west-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
}

/**
 * CloudFormation's DescribeStacks (AWS Query in, XML out): the stack's outputs, or the ValidationError
 * CloudFormation returns for a stack that does not exist (`outputs` undefined).
 */
export function answerDescribeStacks(
  res: ServerResponse,
  stackName: string,
  outputs: Readonly<Record<string, string>> | undefined,
): void {
  res.setHeader('content-type', 'text/xml');
  if (!outputs) {
    res.statusCode = 400;
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${stackName} does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
    );
    return;
  }
  const members = Object.entries(outputs)
    .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
    .join('');
  res.end(
    `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-29T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
  );
}

/** A DescribeStacks stand-in: each call answered from `outputsOf(stackName)` (undefined: no such stack). */
export function describeStacks(
  outputsOf: (stackName: string) => Readonly<Record<string, string>> | undefined,
): StandInHandler {
  return (_req, body, res) => {
    const name = new URLSearchParams(body).get('StackName') ?? '';
    answerDescribeStacks(res, name, outputsOf(name));
  };
}

/**
 * Runs the CLI as a child process without blocking this process's event loop (the stand-ins answer from
 * it), with `env` on top of this process's environment.
 */
export function runTidings(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/tidings.mjs', ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/**
 * `tidings … --stack Tidings` against the emulators: a DescribeStacks stand-in names the emulators' table and
 * queue as the deployed stacks' outputs, a Scheduler stand-in (scheduler-stand-in.ts) holds the scheduled
 * sends' schedules (`.scheduler`), and the CLI runs with them as its AWS endpoints.
 */
export function useStackCli(
  env: () => {
    readonly tableName: string;
    readonly queueUrl: string;
    readonly emulators: { readonly endpoints: { readonly dynamodb: string; readonly sqs: string } };
  },
): ((...args: string[]) => ReturnType<typeof runTidings>) & {
  readonly scheduler: ReturnType<typeof useSchedulerStandIn>;
} {
  const scheduler = useSchedulerStandIn();
  const cfnEndpoint = useStandIn(
    describeStacks(
      (name) =>
        ({
          'Tidings-stateful': { TableName: env().tableName, BucketName: 'posts-bucket' },
          'Tidings-stateless': {
            SendQueueUrl: env().queueUrl,
            SendTimerGroup: STACK_SEND_TIMERS.group,
            SendTimerTargetArn: STACK_SEND_TIMERS.targetArn,
            SendTimerRoleArn: STACK_SEND_TIMERS.roleArn,
          },
        })[name],
    ),
  );
  const run = (...args: string[]) =>
    runTidings(args, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_CLOUDFORMATION: cfnEndpoint(),
      AWS_ENDPOINT_URL_DYNAMODB: env().emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: env().emulators.endpoints.sqs,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.url(),
      AWS_MAX_ATTEMPTS: '1',
      NODE_NO_WARNINGS: '1',
    });
  return Object.assign(run, { scheduler });
}

/** The send timers' outputs of the stand-in stateless stack. */
export const STACK_SEND_TIMERS = {
  group: 'Tidings-stateless-SendTimers-Group',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:Tidings-reconcile',
  roleArn: 'arn:aws:iam::123456789012:role/Tidings-stateless-SendTimersRole',
} as const;
