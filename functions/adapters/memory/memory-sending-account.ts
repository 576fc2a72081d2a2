import type { IdentityFacts, QuotaFacts } from '../../core/doctor/checks.ts';
import type { SendingAccount } from '../../ports/sending-account.ts';

/** An SES account as a table: identities by domain (absent: SES does not know it) and the quota. */
export class MemorySendingAccount implements SendingAccount {
  constructor(
    private readonly facts: {
      readonly identities: Readonly<Record<string, IdentityFacts>>;
      readonly quota: QuotaFacts;
    },
  ) {}

  async identity(domain: string): Promise<IdentityFacts> {
    return (
      this.facts.identities[domain] ?? {
        verification: 'absent',
        dkimEnabled: false,
        dkimStatus: 'NotStarted',
      }
    );
  }

  async quota(): Promise<QuotaFacts> {
    return { ...this.facts.quota };
  }
}
