import {
  GetIdentityDkimAttributesCommand,
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  type SESClient,
} from '@aws-sdk/client-ses';
import type { IdentityFacts, QuotaFacts } from '../../core/doctor/checks.ts';
import type { SendingAccount } from '../../ports/sending-account.ts';

/**
 * The SES account through the SDK's SES client (the CLI only; no Lambda bundle imports this): the v1
 * identity APIs the stack's identity answers to, and GetSendQuota.
 */
export class SesSendingAccount implements SendingAccount {
  constructor(private readonly ses: SESClient) {}

  async identity(domain: string): Promise<IdentityFacts> {
    const [verification, dkim] = await Promise.all([
      this.ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [domain] })),
      this.ses.send(new GetIdentityDkimAttributesCommand({ Identities: [domain] })),
    ]);
    const v = verification.VerificationAttributes?.[domain];
    const d = dkim.DkimAttributes?.[domain];
    return {
      verification: v?.VerificationStatus ?? 'absent',
      dkimEnabled: d?.DkimEnabled ?? false,
      dkimStatus: d?.DkimVerificationStatus ?? 'NotStarted',
    };
  }

  async quota(): Promise<QuotaFacts> {
    const out = await this.ses.send(new GetSendQuotaCommand({}));
    return {
      maxSendRate: out.MaxSendRate ?? 0,
      max24HourSend: out.Max24HourSend ?? 0,
      sentLast24Hours: out.SentLast24Hours ?? 0,
    };
  }
}
