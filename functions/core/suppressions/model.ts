/** Why an address is suppressed. */
export type SuppressionReason = 'hard-bounce' | 'complaint' | 'manual';

/** An address that must never be mailed again. Global: it applies to every list. */
export interface Suppression {
  /** Normalized (see core/subscribers). */
  readonly email: string;
  readonly reason: SuppressionReason;
  /** ISO 8601. */
  readonly at: string;
  /** e.g. the SES bounce subtype, 'import:mailchimp-cleaned', who suppressed it by hand. */
  readonly detail?: string;
}
