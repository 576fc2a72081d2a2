/**
 * The CloudWatch metric names, namespace and dimensions that the handlers emit (through Powertools Metrics)
 * and that the alarms in `infra/` watch. Both sides import them from here so a rename cannot silently
 * leave an alarm watching a metric nobody emits.
 *
 * Every function runs with `POWERTOOLS_SERVICE_NAME = SERVICE_NAME` and
 * `POWERTOOLS_METRICS_NAMESPACE = METRICS_NAMESPACE`, so Powertools adds the dimension
 * `service = SERVICE_NAME` to each metric. Per-list metrics add one more dimension, `list = <list id>`.
 *
 * @example
 * metrics.addDimension(LIST_DIMENSION, 'podcast');
 * metrics.addMetric(MetricName.Sent, MetricUnit.Count, 1);
 */
export const METRICS_NAMESPACE = 'Tidings';

/** The Powertools service name every function shares (the `service` dimension of every metric). */
export const SERVICE_NAME = 'tidings';

/** The dimension that names the list a per-list metric belongs to. */
export const LIST_DIMENSION = 'list';

/** The dimension that names the feed a per-feed metric belongs to. */
export const FEED_DIMENSION = 'feed';

/** Metric names. Counts unless the comment says otherwise. */
export const MetricName = {
  /** SES accepted a message (submitted, not delivered). Dimensions: service, list. */
  Sent: 'Sent',
  /** A delivery ended `failed` (permanent error for that address, or retries exhausted). Dimensions: service, list. */
  Failed: 'Failed',
  /** SES answered "Maximum sending rate exceeded"; the message went back to the queue. Dimensions: service. */
  Throttled: 'Throttled',
  /** SES reported a delivery. Dimensions: service, list. */
  Delivered: 'Delivered',
  /** SES reported a bounce (any type). Dimensions: service, list. */
  Bounced: 'Bounced',
  /** SES reported a complaint. Dimensions: service, list. */
  Complained: 'Complained',
  /** Feedback paused sending for a list (bounce rate ≥ 2 % or complaint rate ≥ 0.08 %); 1 per pause. Dimensions: service, list. */
  SendingPaused: 'SendingPaused',
  /**
   * SES refused an edition's sender (From identity not verified, account paused, configuration set
   * missing), so the sender's error budget paused the edition; 1 per refused batch. Alarm on any: nothing
   * of that edition goes out until `tidings editions resume <id>`. Dimensions: service, list.
   */
  EditionPaused: 'EditionPaused',
  /** The poller paused a feed after repeated failures; 1 per pause. Dimensions: service, feed. */
  FeedPaused: 'FeedPaused',
} as const;

export type MetricNameValue = (typeof MetricName)[keyof typeof MetricName];
