import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** The SES events the configuration set publishes, and the EventBridge detail-types they arrive as. */
export const SES_EVENT_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
] as const;

export interface SesSendingProps {
  /** The sending domain (config.sending.domain): its identity lives in the stateful stack (SesIdentity). */
  readonly domain: string;
  /** The configuration set's name (config.sending.configurationSet). */
  readonly configurationSetName: string;
  /** Every From address of every list: the only addresses the senders may use. */
  readonly fromAddresses: readonly string[];
}

/**
 * The SES side that can be recreated: the configuration set with reputation metrics and an EventBridge
 * destination, the rule that hands its events to the feedback function (with a dead-letter queue for the
 * events it could not deliver), and the send grants on the domain identity, which the stateful stack keeps
 * (SesIdentity: DKIM must not change when this stack is redeployed or destroyed).
 */
export class SesSending extends Construct {
  public readonly configurationSet: ses.ConfigurationSet;
  /** The domain identity's ARN (the identity itself is in the stateful stack). */
  public readonly identityArn: string;
  /** Matches the configuration set's events on the default bus; `addEventsConsumer` adds its target. */
  public readonly eventsRule: events.Rule;
  /**
   * SES events the rule could not deliver to the consumer after its retries (the function throttled, failed
   * or was missing): without it EventBridge drops them, and a bounce would never suppress its address.
   */
  public readonly eventsDeadLetterQueue: sqs.Queue;
  private readonly fromAddresses: readonly string[];

  constructor(scope: Construct, id: string, props: SesSendingProps) {
    super(scope, id);
    this.fromAddresses = props.fromAddresses;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });
    this.identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.domain,
    });
    this.eventsRule = new events.Rule(this, 'Events', {
      description: `SES events of the ${props.configurationSetName} configuration set`,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...SES_EVENT_DETAIL_TYPES],
        // Only this configuration set: other SES users in the account are not ours to count.
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
    });
    this.eventsDeadLetterQueue = new sqs.Queue(this, 'EventsDeadLetters', {
      // SSE-SQS: EventBridge can write to it (an AWS-managed KMS key would refuse EventBridge).
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.eventsDeadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the SES events rule target; an alarm fires on its first message.',
    );
  }

  /**
   * Delivers the configuration set's events to `fn` (the feedback function), retried up to 8 times, then
   * to the dead-letter queue.
   */
  addEventsConsumer(fn: lambda.IFunction): void {
    this.eventsRule.addTarget(
      new targets.LambdaFunction(fn, { retryAttempts: 8, deadLetterQueue: this.eventsDeadLetterQueue }),
    );
  }

  /**
   * Lets `grantee` send raw email through this identity and configuration set, and only from the
   * configured From addresses. GetSendQuota has no resource-level permissions, so it needs `*`;
   * `sendQuota: false` leaves it out for a grantee that never reads the quota.
   */
  grantSendRawEmail(grantee: iam.IGrantable, options: { readonly sendQuota?: boolean } = {}): void {
    const stack = Stack.of(this);
    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendRawEmail'],
      resourceArns: [this.identityArn, configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': [...this.fromAddresses] } },
    });
    if (options.sendQuota ?? true)
      iam.Grant.addToPrincipal({ grantee, actions: ['ses:GetSendQuota'], resourceArns: ['*'] });
  }
}
