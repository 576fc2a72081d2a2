import { Duration, Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEND_FUNCTION_TIMEOUT_SECONDS } from '../../functions/core/pacing/deadline.ts';

/** How the send function is paced, derived from the configured SES rate. */
export interface SendPacing {
  /** The event source's MaximumConcurrency: how many send invocations run at once. */
  readonly maxConcurrency: number;
  /** Messages per second each invocation may send (its token bucket): maxRate / maxConcurrency. */
  readonly ratePerSender: number;
}

/**
 * One send invocation keeps about this many SendRawEmail calls per second going (a call takes 50–100 ms;
 * a few in flight on keep-alive connections). More senders than maxRate / this would only wait on their
 * token buckets while holding SQS messages invisible.
 */
export const SENDS_PER_SECOND_PER_INVOCATION = 10;

/**
 * `maxConcurrency = clamp(ceil(maxRate / 10), 2, 1000)` and `ratePerSender = maxRate / maxConcurrency`.
 * The clamp is SQS's: an event source's maximum concurrency must be 2..1000. Two senders at half the rate
 * each is still exactly the configured rate overall, so the floor of 2 never sends faster.
 *
 * @example
 * sendPacing(14)  // { maxConcurrency: 2, ratePerSender: 7 }
 * sendPacing(200) // { maxConcurrency: 20, ratePerSender: 10 }
 */
export function sendPacing(maxRate: number): SendPacing {
  const maxConcurrency = Math.min(1000, Math.max(2, Math.ceil(maxRate / SENDS_PER_SECOND_PER_INVOCATION)));
  return { maxConcurrency, ratePerSender: maxRate / maxConcurrency };
}

/** SQS messages per invocation. At most 10 (so a partial failure returns little work), and at least 1. */
export const SEND_BATCH_SIZE = 10;

/** How long one send invocation may run. It returns the unsent part of its batch before this runs out. */
export const SEND_TIMEOUT = Duration.seconds(SEND_FUNCTION_TIMEOUT_SECONDS);

/**
 * AWS asks for a visibility timeout of at least 6× the function timeout for an SQS event source, so a
 * message is not handed to a second sender while the first still works on it (and retries of throttled
 * invocations fit in the window).
 */
export const SEND_VISIBILITY_TIMEOUT = Duration.seconds(SEND_TIMEOUT.toSeconds() * 6);

/**
 * A delivery batch is returned to the queue when SES throttles; after this many receives it goes to the
 * DLQ (and the DLQ alarm fires). High enough that throttling alone never dead-letters a batch.
 */
export const SEND_MAX_RECEIVE_COUNT = 8;

export interface SendPipelineProps {
  /** Messages per second, from config.sending.maxRate. */
  readonly maxRate: number;
}

/** The send queue and its DLQ; `attachSender` wires the send function to the queue. */
export class SendPipeline extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly pacing: SendPacing;

  constructor(scope: Construct, id: string, props: SendPipelineProps) {
    super(scope, id);
    this.pacing = sendPacing(props.maxRate);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: SEND_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SEND_MAX_RECEIVE_COUNT },
    });
  }

  /**
   * Makes `fn` the consumer of the send queue: batches of ≤ 10, partial failures, paced concurrency. The
   * role gets exactly what the Lambda service's poller uses (ReceiveMessage, DeleteMessage,
   * GetQueueAttributes, as in AWSLambdaSQSQueueExecutionRole); SqsEventSource would also grant
   * ChangeMessageVisibility and GetQueueUrl, which neither the poller nor the send code calls (a returned
   * batch item waits out its visibility timeout). The mapping keeps SqsEventSource's id, so its logical id.
   */
  attachSender(fn: lambda.Function): void {
    fn.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize: SEND_BATCH_SIZE,
      reportBatchItemFailures: true,
      maxConcurrency: this.pacing.maxConcurrency,
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
