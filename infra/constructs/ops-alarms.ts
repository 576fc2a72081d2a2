import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  FEED_DIMENSION,
  LIST_DIMENSION,
  METRICS_NAMESPACE,
  MetricName,
  SERVICE_NAME,
} from '../../functions/core/metrics-names.ts';

/**
 * The rates at which feedback pauses a list itself (application logic), and at which the alarms fire.
 * SES reviews an account at 5 % bounces / 0.1 % complaints; we stop well before.
 */
export const BOUNCE_RATE_THRESHOLD = 0.02;
export const COMPLAINT_RATE_THRESHOLD = 0.0008;

export interface OpsAlarmsProps {
  /** Where alarm emails go (config.ops.alarmEmail). @default - topic without subscription */
  readonly alarmEmail?: string;
}

/** The ops SNS topic (encrypted, TLS only) and helpers that add alarms notifying it. */
export class OpsAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'tidings: encrypts the ops alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it must be able to use the key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'tidings alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Adds an alarm that notifies the topic when it fires (and when it recovers). */
  add(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }

  /** Fires as soon as a queue holds one message (used for the DLQ). */
  addQueueNotEmpty(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.add(id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }

  /** Fires when a count metric is ≥ 1 in a 5-minute period. */
  addAnyCount(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.add(id, {
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }

  /** The account's SES reputation: bounce and complaint rates, from the configuration set's reputation metrics. */
  addSesReputation(): void {
    this.add('BounceRate', {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      threshold: BOUNCE_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `SES bounce rate ≥ ${BOUNCE_RATE_THRESHOLD * 100} %: clean the list before SES reviews the account (5 %)`,
    });
    this.add('ComplaintRate', {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.ComplaintRate',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      threshold: COMPLAINT_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `SES complaint rate ≥ ${COMPLAINT_RATE_THRESHOLD * 100} %: SES reviews the account at 0.1 %`,
    });
  }

  /** Fires when feedback paused sending for a list (its bounce or complaint rate crossed the threshold). */
  addSendingPaused(listId: string): cloudwatch.Alarm {
    return this.addAnyCount(
      `SendingPaused-${listId}`,
      appMetric(MetricName.SendingPaused, { [LIST_DIMENSION]: listId }),
      `Sending to list ${listId} paused itself (bounce rate ≥ 2 % or complaint rate ≥ 0.08 %); see docs/deploy.md`,
    );
  }

  /**
   * Fires when SES refused a list's sender and the send function's error budget paused an edition
   * (From identity not verified, account or configuration set paused).
   */
  addEditionPaused(listId: string): cloudwatch.Alarm {
    return this.addAnyCount(
      `EditionPaused-${listId}`,
      appMetric(MetricName.EditionPaused, { [LIST_DIMENSION]: listId }),
      `SES refused the sender of list ${listId} and an edition paused; fix the identity or the account (tidings doctor), then \`tidings editions resume <edition>\``,
    );
  }

  /** Fires when the poller paused a feed after repeated failures. */
  addFeedPaused(feedId: string): cloudwatch.Alarm {
    return this.addAnyCount(
      `FeedPaused-${feedId}`,
      appMetric(MetricName.FeedPaused, { [FEED_DIMENSION]: feedId }),
      `Feed ${feedId} failed repeatedly and is paused; nothing from it is sent until it is resumed`,
    );
  }
}

/** A metric the handlers emit through Powertools (namespace + service dimension from metrics-names.ts). */
export function appMetric(name: string, dimensions: Record<string, string> = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, ...dimensions },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
  });
}
