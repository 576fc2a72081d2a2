import { describe, expect, it } from 'vitest';
import type { DnsLookup } from '../../functions/ports/dns-lookup.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/** The records every DnsLookup subject is given. */
export const CONTRACT_DNS_RECORDS = {
  txt: {
    'mail.example.net': ['v=spf1 include:amazonses.com ~all', 'google-site-verification=abc'],
  },
  mx: { 'mail.example.net': ['feedback-smtp.eu-west-1.amazonses.com'] },
};

/** What every DnsLookup does: the records of a name, and `[]` (not an error) for a name without any. */
export function describeDnsLookupContract(name: string, make: MakeSubject<DnsLookup>): void {
  describe(`${name} (DnsLookup contract)`, () => {
    const dns = useSubject(make);

    it('reads the TXT and MX records of a name', async () => {
      expect([...(await dns().txt('mail.example.net'))].sort()).toEqual([
        'google-site-verification=abc',
        'v=spf1 include:amazonses.com ~all',
      ]);
      expect(await dns().mx('mail.example.net')).toEqual(['feedback-smtp.eu-west-1.amazonses.com']);
    });

    it('answers [] for a name that has no records', async () => {
      expect(await dns().txt('nothing.example.net')).toEqual([]);
      expect(await dns().mx('nothing.example.net')).toEqual([]);
    });
  });
}
