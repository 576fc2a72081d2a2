import { describe, expect, it } from 'vitest';
import type { SendingAccount } from '../../functions/ports/sending-account.ts';
import type { SesAccountFacts } from '../helpers/ses-account-stand-in.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/** The account every SendingAccount subject is given. */
export const CONTRACT_SES_ACCOUNT: SesAccountFacts = {
  identities: {
    'verified.example.net': { verification: 'Success', dkimEnabled: true, dkimStatus: 'Success' },
    'pending.example.net': { verification: 'Pending', dkimEnabled: true, dkimStatus: 'Pending' },
  },
  quota: { maxSendRate: 1, max24HourSend: 200, sentLast24Hours: 12 },
};

/** What every SendingAccount does: an identity's verification and DKIM (absent when unknown), the quota. */
export function describeSendingAccountContract(name: string, make: MakeSubject<SendingAccount>): void {
  describe(`${name} (SendingAccount contract)`, () => {
    const account = useSubject(make);

    it("reads an identity's verification and DKIM, and says when SES does not know it", async () => {
      expect(await account().identity('verified.example.net')).toEqual({
        verification: 'Success',
        dkimEnabled: true,
        dkimStatus: 'Success',
      });
      expect(await account().identity('pending.example.net')).toMatchObject({ verification: 'Pending' });
      expect(await account().identity('unknown.example.net')).toEqual({
        verification: 'absent',
        dkimEnabled: false,
        dkimStatus: 'NotStarted',
      });
    });

    it('reads the quota', async () => {
      expect(await account().quota()).toEqual({ maxSendRate: 1, max24HourSend: 200, sentLast24Hours: 12 });
    });
  });
}
