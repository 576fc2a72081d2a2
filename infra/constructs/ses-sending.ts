import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** The SES events the configuration set publishes, and the EventBridge detail-types they arrive as. */
export const SES_EVENT_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
] as const;

export interface SesSendingProps {
  /** The sending domain (config.sending.domain). */
  readonly domain: string;
  /** Custom MAIL FROM subdomain (config.sending.mailFromDomain). @default - SES's amazonses.com MAIL FROM */
  readonly mailFromDomain?: string;
  /** The configuration set's name (config.sending.configurationSet). */
  readonly configurationSetName: string;
  /** Every From address of every list: the only addresses the senders may use. */
  readonly fromAddresses: readonly string[];
  /** Where the DMARC aggregate reports should go, for the suggested record. @default dmarc@<domain> */
  readonly dmarcReportAddress?: string;
}

/**
 * The SES side: the domain identity (Easy DKIM, optional custom MAIL FROM), the configuration set with
 * reputation metrics and an EventBridge destination, and the DNS records to create, as stack outputs.
 */
export class SesSending extends Construct {
  public readonly identity: ses.EmailIdentity;
  public readonly configurationSet: ses.ConfigurationSet;
  /** Matches the configuration set's events on the default bus; `addEventsConsumer` adds its target. */
  public readonly eventsRule: events.Rule;
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
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.domain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      ...(props.mailFromDomain ? { mailFromDomain: props.mailFromDomain } : {}),
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

    const region = Stack.of(this).region;
    this.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM: create this CNAME record (${i + 1} of 3)`,
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
      });
    });
    if (props.mailFromDomain) {
      new CfnOutput(this, 'MailFromMx', {
        description: 'Custom MAIL FROM: create this MX record',
        value: `${props.mailFromDomain} MX 10 feedback-smtp.${region}.amazonses.com`,
      });
      new CfnOutput(this, 'Spf', {
        description: 'SPF for the custom MAIL FROM domain: create this TXT record',
        value: `${props.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      });
    } else {
      new CfnOutput(this, 'Spf', {
        description:
          'SPF: SES uses its own MAIL FROM domain (amazonses.com); set sending.mailFromDomain to align SPF',
        value: 'none needed without a custom MAIL FROM',
      });
    }
    new CfnOutput(this, 'Dmarc', {
      description: 'DMARC, a suggestion to start with: monitor (p=none), then move to quarantine',
      value: `_dmarc.${props.domain} TXT "v=DMARC1; p=none; rua=mailto:${props.dmarcReportAddress ?? `dmarc@${props.domain}`}"`,
    });
  }

  /** Delivers the configuration set's events to `fn` (the feedback function), retried up to 8 times. */
  addEventsConsumer(fn: lambda.IFunction): void {
    this.eventsRule.addTarget(new targets.LambdaFunction(fn, { retryAttempts: 8 }));
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
      resourceArns: [this.identity.emailIdentityArn, configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': [...this.fromAddresses] } },
    });
    if (options.sendQuota ?? true)
      iam.Grant.addToPrincipal({ grantee, actions: ['ses:GetSendQuota'], resourceArns: ['*'] });
  }
}
