import { createHash, randomUUID } from 'node:crypto';
import type { LambdaFunctionURLEvent, SQSRecord } from 'aws-lambda';
import { ACCOUNT } from './template.ts';

// Each trigger's event as AWS delivers it to the function: the Function URL behind CloudFront, S3 through
// EventBridge, SES events through EventBridge, SQS through the event source mapping, and the Scheduler's
// input exactly as the template's schedules hold it.

const URL_DOMAIN = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws';
/** An address of CloudFront's origin-facing range: what the Function URL sees as the caller. */
const CLOUDFRONT_EDGE_IP = '130.176.212.14';

export interface ViaCloudFront {
  /** The value CloudFront's origin header carries; absent for a request that skips CloudFront. */
  readonly originSecret?: { readonly header: string; readonly value: string };
  readonly viewerIp: string;
  /** The only request headers the origin request policy forwards (Content-Type, Accept). */
  readonly contentType?: string;
  readonly accept?: string;
  readonly body?: string;
}

/**
 * A request as the Function URL receives it from CloudFront: the forwarded headers only (the origin
 * request policy's), plus those CloudFront always adds (Via, X-Amz-Cf-Id, X-Forwarded-For, its
 * User-Agent), and CloudFront's edge as the source IP. A form body arrives base64-encoded.
 */
export function functionUrlEvent(method: string, target: string, via: ViaCloudFront): LambdaFunctionURLEvent {
  const url = new URL(target, 'https://news.example.com');
  const headers: Record<string, string> = {
    host: URL_DOMAIN,
    via: '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)',
    'x-amz-cf-id': 'rehearsal-cf-id==',
    'x-forwarded-for': via.viewerIp,
    'user-agent': 'Amazon CloudFront',
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '443',
    'x-amzn-trace-id': 'Root=1-67a1b2c3-0123456789abcdef01234567',
    'cloudfront-viewer-address': `${via.viewerIp}:51234`,
    ...(via.contentType ? { 'content-type': via.contentType } : {}),
    ...(via.accept ? { accept: via.accept } : {}),
    ...(via.originSecret ? { [via.originSecret.header]: via.originSecret.value } : {}),
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: URL_DOMAIN,
      domainPrefix: 'abcdefghijklmnop',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: CLOUDFRONT_EDGE_IP,
        userAgent: 'Amazon CloudFront',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '05/Dec/2026:10:00:00 +0000',
      timeEpoch: Date.parse('2026-12-05T10:00:00Z'),
    },
    ...(via.body === undefined
      ? { isBase64Encoded: false }
      : { body: Buffer.from(via.body).toString('base64'), isBase64Encoded: true }),
  };
}

/** S3 `Object Created` through EventBridge (the bucket's eventBridgeEnabled). */
export function s3ObjectCreated(region: string, bucket: string, key: string, size: number) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0062E99A88DC407460' },
      'request-id': 'REHEARSAL',
      requester: ACCOUNT,
      'source-ip-address': '203.0.113.50',
      reason: 'PutObject',
    },
  };
}

/** The Scheduler's input, from the template: its placeholder replaced as Scheduler replaces it. */
export function schedulerInput(input: string, scheduledTime: string): unknown {
  return JSON.parse(input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime));
}

/** Messages received from the queue as the event source mapping hands them to the function. */
export function sqsEvent(
  region: string,
  queueArn: string,
  messages: readonly {
    MessageId?: string | undefined;
    ReceiptHandle?: string | undefined;
    Body?: string | undefined;
  }[],
): { Records: SQSRecord[] } {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? randomUUID(),
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AROAREHEARSAL:plan',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5')
        .update(m.Body ?? '')
        .digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

export interface SentMail {
  readonly messageId: string;
  readonly source?: string;
  readonly destinations: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly configurationSet?: string;
}

/** An SES event of the configuration set, through EventBridge (source aws.ses, the event in `detail`). */
export function sesEvent(region: string, mail: SentMail, kind: 'Delivery' | 'Bounce' | 'Complaint') {
  const now = new Date().toISOString();
  const tags = Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]]));
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': {
      Delivery: 'Email Delivered',
      Bounce: 'Email Bounced',
      Complaint: 'Email Complaint Received',
    }[kind],
    source: 'aws.ses',
    account: ACCOUNT,
    time: now,
    region,
    resources: [`arn:aws:ses:${region}:${ACCOUNT}:configuration-set/${mail.configurationSet}`],
    detail: {
      eventType: kind,
      mail: {
        timestamp: now,
        source: mail.source,
        sendingAccountId: ACCOUNT,
        messageId: mail.messageId,
        destination: mail.destinations,
        headersTruncated: false,
        tags: { ...tags, 'ses:configuration-set': [mail.configurationSet] },
      },
      ...(kind === 'Complaint'
        ? {
            complaint: {
              complainedRecipients: mail.destinations.map((emailAddress) => ({ emailAddress })),
              timestamp: now,
              feedbackId: randomUUID(),
              complaintFeedbackType: 'abuse',
              userAgent: 'Yahoo!-Mail-Feedback/2.0',
            },
          }
        : {}),
      ...(kind === 'Delivery'
        ? {
            delivery: {
              timestamp: now,
              processingTimeMillis: 812,
              recipients: mail.destinations,
              smtpResponse: '250 2.0.0 OK',
              reportingMTA: 'a8-50.smtp-out.amazonses.com',
            },
          }
        : kind === 'Bounce'
          ? {
              bounce: {
                bounceType: 'Permanent',
                bounceSubType: 'General',
                bouncedRecipients: mail.destinations.map((emailAddress) => ({
                  emailAddress,
                  action: 'failed',
                  status: '5.1.1',
                  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                })),
                timestamp: now,
                feedbackId: randomUUID(),
                reportingMTA: 'dsn; a8-50.smtp-out.amazonses.com',
              },
            }
          : {}),
    },
  };
}
