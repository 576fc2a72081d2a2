import type { IdentityFacts, QuotaFacts } from '../core/doctor/checks.ts';

/**
 * What `tidings doctor` asks SES about the account: the sending identity's verification and DKIM, and the
 * quota (200 a day means the sandbox). Errors are thrown as they come (the doctor prints them).
 */
export interface SendingAccount {
  identity(domain: string): Promise<IdentityFacts>;
  quota(): Promise<QuotaFacts>;
}
