import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../core/metrics-names.ts';

/** What a handler logs and measures with. Locally the runner passes a quiet logger and no metrics. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

/** The Lambda default: JSON logs, CloudWatch metrics in EMF. */
export function lambdaObservability(): Observability {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

/** For local runs: logs only at warn and above, no metrics on stdout. */
export function quietObservability(): Observability {
  return { logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'WARN' }) };
}
