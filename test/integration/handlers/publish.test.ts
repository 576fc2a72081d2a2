import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsClients,
  EMULATOR_CREDENTIALS,
  makeClients,
} from '../../../functions/adapters/aws/clients.ts';
import { s3PostObjects } from '../../../functions/adapters/aws/s3-client.ts';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { TidingsError } from '../../../functions/core/errors.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import { makePublishHandler } from '../../../functions/handlers/publish.ts';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { systemClock } from '../../../functions/ports/clock.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import type { AppOptions } from '../../../functions/wiring/app.ts';
import { localApp } from '../../../functions/wiring/local.ts';
import { aSubscriber } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, seed } from '../delivery/stack.ts';

// The publish function on the emulators, driven by the two events the stack wires to it
// (infra/stacks/stateless-stack.ts): the EventBridge rule `PostUploaded` (S3 "Object Created" under posts/)
// and the IAM-authorized Function URL. Sending goes through the local runner and the real send handler.
// No S3 emulator is installed: the smallest server that answers a path-style GetObject stands in for it.

/** The events the handler takes (its S3 event type is not exported). */
type PublishEvent = Parameters<ReturnType<typeof makePublishHandler>>[0];

const BUCKET = 'tidings-stateful-tidingsposts-1x2y3z';
const objects = new Map<string, string>();
let s3: Server;
let s3Clients: AwsClients;
let stack: LocalStack;

const MARKDOWN = (title: string) => `---
title: ${title}
date: 2026-03-05T16:45:00Z
author: Ada Lindqvist
lists: [podcast]
excerpt: A short note for the podcast list.
---

Quick housekeeping: new podcast episodes still arrive on **Tuesdays**.
`;

/** What EventBridge delivers for an S3 put when the bucket sends its events to EventBridge. */
function objectCreated(key: string): PublishEvent {
  const event = {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-03-05T16:46:00Z',
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: BUCKET },
      object: {
        key,
        size: 310,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        sequencer: '00617F08299329D189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '203.0.113.15',
      reason: 'PutObject',
    },
  } as const;
  return event;
}

/** A Function URL request (payload 2.0) signed with SigV4: the IAM authorizer puts the caller in `authorizer.iam`. */
function functionUrlPost(body: string, query: Record<string, string>): LambdaFunctionURLEvent {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString,
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      host: 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws',
      'x-amz-date': '20260305T164600Z',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260305/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd',
      'user-agent': 'aws-sdk-js/3',
    },
    queryStringParameters: query,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdefghijklmnop',
      authorizer: {
        iam: {
          accessKey: 'AKIAEXAMPLE',
          accountId: '123456789012',
          callerId: 'AIDAEXAMPLE',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: 'arn:aws:iam::123456789012:user/editor',
          userId: 'AIDAEXAMPLE',
        },
      },
      domainName: 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abcdefghijklmnop',
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.15',
        userAgent: 'aws-sdk-js/3',
      },
      requestId: 'c4d2b7e1-0000-4000-8000-000000000001',
      routeKey: '$default',
      stage: '$default',
      time: '05/Mar/2026:16:46:00 +0000',
      timeEpoch: 1772729160000,
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  } as unknown as LambdaFunctionURLEvent;
}

beforeAll(async () => {
  s3 = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    const body = req.method === 'GET' ? objects.get(path) : undefined;
    if (body === undefined) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/xml');
      res.end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    res.setHeader('content-type', 'text/markdown');
    res.setHeader('content-length', String(Buffer.byteLength(body)));
    res.end(body);
  });
  await new Promise<void>((resolve) => s3.listen(0, '127.0.0.1', resolve));
  s3Clients = makeClients({
    region: 'us-east-1',
    endpoints: { s3: `http://127.0.0.1:${(s3.address() as AddressInfo).port}` },
    credentials: EMULATOR_CREDENTIALS,
  });
  stack = await aLocalStack();
  await seed(stack, [
    aSubscriber({ id: 's_ada', email: 'ada@example.org' }),
    aSubscriber({ id: 's_bo', email: 'bo@example.org' }),
    aSubscriber({
      id: 's_cy',
      email: 'cy@example.org',
      lists: {
        essays: { status: 'subscribed', cadence: 'instant', updatedAt: '2026-01-05T10:00:00.000Z' },
      },
    }),
  ]);
});

afterAll(async () => {
  s3Clients?.destroy();
  await stack?.stop();
  await new Promise((resolve) => s3?.close(resolve));
});

/** The app on the local stack, reading the posts bucket through the S3 stand-in server. */
function appWith(options: Partial<AppOptions> = {}) {
  return localApp(stack.info, {
    config: stack.app.config,
    clients: stack.clients,
    render: makeRenderFn({
      config: stack.app.config,
      templates: () => loadTemplates(),
      clock: systemClock,
    }),
    postObjects: s3PostObjects(s3Clients),
    ...options,
  }).app;
}

const handler = () => makePublishHandler(async () => appWith(), quietObservability());

describe('the publish handler', () => {
  it('publishes a Markdown file put under posts/ (S3 Object Created through EventBridge) to the podcast readers only', async () => {
    // Prepare: the key as S3 reports it (URL-encoded, spaces as +)
    objects.set(`/${BUCKET}/posts/tuesday notes.md`, MARKDOWN('Tuesday notes'));

    // Act
    const result = await handler()(objectCreated('posts/tuesday+notes.md'));
    await stack.runner.drain();

    // Assess: both podcast readers got it once, the essays reader nothing
    const sent = (await mailbox(stack)).all.filter((m) => m.subject === 'Tuesday notes');
    expect(sent.map((m) => m.destinations).sort()).toEqual([['ada@example.org'], ['bo@example.org']]);
    expect(result).toMatchObject({ lists: [{ listId: 'podcast', action: 'planned', enqueued: 2 }] });
    const editionId = sent[0]?.tags.edition ?? '';
    expect(await stack.app.status(editionId)).toMatchObject({
      complete: true,
      counters: { planned: 2, sent: 2, failed: 0, skipped: 0 },
    });
  });

  it('publishes the Markdown body of a signed Function URL POST, and answers 200 with the edition', async () => {
    // Act
    const res = (await handler()(
      functionUrlPost(MARKDOWN('Thursday notes'), { slug: 'thursday-notes' }),
    )) as { statusCode: number; headers: Record<string, string>; body: string };
    await stack.runner.drain();

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body) as { postId: string; lists: { listId: string; action: string }[] };
    expect(body.postId).toBe('thursday-notes');
    expect(body.lists).toMatchObject([{ listId: 'podcast', action: 'planned', enqueued: 2 }]);
    const sent = (await mailbox(stack)).all.filter((m) => m.subject === 'Thursday notes');
    expect(sent.map((m) => m.destinations).sort()).toEqual([['ada@example.org'], ['bo@example.org']]);
    expect(sent.map((m) => m.to.join()).join()).not.toContain('cy@example.org');
  });

  it('answers 503, not 400, when the edition cannot be handed to the plan function, and sends nothing', async () => {
    // Prepare: the plan function cannot be started (a fault no emulator produces).
    const refusing = makePublishHandler(
      async () =>
        appWith({
          planTrigger: {
            start: async () => {
              throw new TidingsError(
                'PLAN_HANDOFF_FAILED',
                'edition x: the plan function Tidings-plan was not started',
              );
            },
          },
        }),
      quietObservability(),
    );
    // Act
    const res = (await refusing(functionUrlPost(MARKDOWN('Later notes'), { slug: 'later-notes' }))) as {
      statusCode: number;
      body: string;
    };
    // Assess: a client may send the same request again; a bad Markdown file is still a 400.
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({
      error: 'PLAN_HANDOFF_FAILED',
      message: 'edition x: the plan function Tidings-plan was not started',
    });
    const bad = (await handler()(functionUrlPost('no front matter here', { slug: 'bad' }))) as {
      statusCode: number;
    };
    expect(bad.statusCode).toBe(400);
  });

  it('answers 400 to a Function URL GET and sends nothing', async () => {
    // Prepare
    const get = functionUrlPost(MARKDOWN('Never sent'), { slug: 'never-sent' });
    const event = {
      ...get,
      requestContext: { ...get.requestContext, http: { ...get.requestContext.http, method: 'GET' } },
    };
    // Act
    const res = (await handler()(event)) as { statusCode: number; body: string };
    await stack.runner.drain();
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: expect.any(String) });
    expect((await mailbox(stack)).all.filter((m) => m.subject === 'Never sent')).toEqual([]);
  });
});
