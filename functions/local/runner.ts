import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SEND_FUNCTION_TIMEOUT_SECONDS } from '../core/pacing/deadline.ts';

/**
 * How long one receive waits for a message. Short polls every 25 ms kept an idle `tidings dev` at about a
 * fifth of a core (1.15 s of the main thread's CPU and 0.6 s of the emulators' in 10 s). Lambda's event
 * source waits 20 s; here 1 s, because `stop()` waits for the receives in progress: a receive left behind
 * would take a message that no one then handles, hidden for the visibility timeout.
 */
const LONG_POLL_SECONDS = 1;

/** A Lambda SQS handler: the same function the send Lambda exports. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface RunnerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsHandler;
  /** Handler invocations in flight at once, like the event source's maximum concurrency. @default 2 */
  readonly concurrency?: number;
  /** Records per invocation, like the event source's batch size. @default 10 */
  readonly batchSize?: number;
  /**
   * Fault injection: hand each received message to this many concurrent invocations, as SQS's
   * at-least-once delivery may. @default 1
   */
  readonly invocationsPerMessage?: number;
  readonly region?: string;
  /**
   * Seconds a receive waits for a message (a long poll). 0: short polls, 25 ms apart when the queue is empty,
   * as the runner polled before (kept for the bench's comparison). @default 1
   */
  readonly waitTimeSeconds?: number;
}

export interface RunnerStats {
  readonly invocations: number;
  readonly records: number;
  /** Records the handler reported as failed (left on the queue for redelivery). */
  readonly failedRecords: number;
}

/** What drives the send handler from the queue: the runner here, or the same in a process of its own. */
export interface QueueRunner {
  start(): void;
  stop(): Promise<RunnerStats>;
  drain(timeoutMs?: number): Promise<RunnerStats>;
}

/**
 * A small local stand-in for Lambda's SQS event source: polls the (emulated) queue, hands messages to
 * the handler in a real SQSEvent shape, deletes what succeeded and leaves the reported batch item
 * failures on the queue, where they come back after the visibility timeout, as on AWS.
 */
export class LocalQueueRunner implements QueueRunner {
  private readonly options: RunnerOptions;
  private running = false;
  private loops: Promise<void>[] = [];
  private stats = { invocations: 0, records: 0, failedRecords: 0 };
  private inFlight = 0;

  constructor(options: RunnerOptions) {
    this.options = options;
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const n = Math.max(1, this.options.concurrency ?? 2);
    this.loops = Array.from({ length: n }, (_, i) => this.loop(i));
  }

  /** Stops polling and waits for the invocations in flight. */
  async stop(): Promise<RunnerStats> {
    this.running = false;
    await Promise.all(this.loops);
    return { ...this.stats };
  }

  /**
   * Resolves once the queue is empty (nothing visible, nothing received and not yet deleted) and no
   * invocation is in flight; rejects after `timeoutMs`.
   */
  async drain(timeoutMs = 120_000): Promise<RunnerStats> {
    const started = Date.now();
    for (;;) {
      if (Date.now() - started > timeoutMs) throw new Error(`queue not drained after ${timeoutMs} ms`);
      if (this.inFlight === 0) {
        const attrs = await this.options.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: this.options.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const visible = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? '0');
        const hidden = Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '0');
        if (visible === 0 && hidden === 0 && this.inFlight === 0) return { ...this.stats };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async loop(worker: number): Promise<void> {
    const { sqs, queueUrl } = this.options;
    while (this.running) {
      // A long poll, as Lambda's event source makes: it answers as soon as a message is there (the emulator
      // repaired to do so, sqs-repairs.ts), so an idle runner makes one request per poller a second.
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, this.options.batchSize ?? 10),
          WaitTimeSeconds: this.options.waitTimeSeconds ?? LONG_POLL_SECONDS,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        if (this.options.waitTimeSeconds === 0) await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      this.inFlight++;
      try {
        const records: SQSRecord[] = messages.map((m) => ({
          messageId: m.MessageId ?? '',
          receiptHandle: m.ReceiptHandle ?? '',
          body: m.Body ?? '',
          attributes: {
            ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
            SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
            SenderId: m.Attributes?.SenderId ?? 'local',
            ApproximateFirstReceiveTimestamp:
              m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${this.options.region ?? 'us-east-1'}:000000000000:${queueUrl.split('/').pop()}`,
          awsRegion: this.options.region ?? 'us-east-1',
        }));
        const copies = Math.max(1, this.options.invocationsPerMessage ?? 1);
        const responses = await Promise.all(
          Array.from({ length: copies }, (_, copy) => this.invoke({ Records: records }, worker, copy)),
        );
        // A record counts as failed if any invocation reported it (it stays on the queue).
        const failed = new Set(
          responses.flatMap((r) => r?.batchItemFailures?.map((f) => f.itemIdentifier) ?? []),
        );
        this.stats.failedRecords += failed.size;
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        }
      } finally {
        this.inFlight--;
      }
    }
  }

  private async invoke(event: SQSEvent, worker: number, copy: number): Promise<SQSBatchResponse | undefined> {
    this.stats.invocations++;
    this.stats.records += event.Records.length;
    const context = localContext(`local-send-${worker}-${copy}`);
    try {
      return await this.options.handler(event, context);
    } catch {
      // A thrown handler fails the whole batch, as on Lambda: every record comes back.
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
  }
}

/** A Lambda context with the send function's timeout, as the deployed function gets. */
function localContext(name: string): Context {
  const deadline = Date.now() + SEND_FUNCTION_TIMEOUT_SECONDS * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
