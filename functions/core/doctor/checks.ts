// `tidings doctor`: what a deployment needs before its first edition reaches inboxes, judged from facts
// the use case gathered (SES identity, quota, DNS). Pure: the facts come in, the verdicts go out.
import type { Config } from '../config/schema.ts';

/** What SES says about the sending domain (GetIdentityVerificationAttributes, GetIdentityDkimAttributes). */
export interface IdentityFacts {
  /** 'Success' | 'Pending' | 'Failed' | 'TemporaryFailure' | 'NotStarted' | 'absent' (SES does not know it). */
  readonly verification: string;
  readonly dkimEnabled: boolean;
  /** 'Success' | 'Pending' | 'Failed' | 'TemporaryFailure' | 'NotStarted'. */
  readonly dkimStatus: string;
}

/** The account's sending quota (GetSendQuota). */
export interface QuotaFacts {
  readonly maxSendRate: number;
  readonly max24HourSend: number;
  readonly sentLast24Hours: number;
}

/** A DNS answer: the records, `[]` for a name with none (NXDOMAIN, NODATA), or the lookup's error. */
export type DnsAnswer = readonly string[] | { readonly error: string };

export interface DoctorFacts {
  readonly config: Config;
  /** The Region SES runs in (for the MAIL FROM MX record). */
  readonly region: string;
  /** Undefined: SES was not asked (no deployed stack). A string: why SES could not be asked. */
  readonly identity?: IdentityFacts | string;
  readonly quota?: QuotaFacts | string;
  /** TXT records by name, each record's strings joined. */
  readonly txt: Readonly<Record<string, DnsAnswer>>;
  /** MX exchanges by name. */
  readonly mx: Readonly<Record<string, DnsAnswer>>;
}

export interface DoctorCheck {
  /** ✓ ok, ✗ not ok, – skipped. */
  readonly status: 'ok' | 'fail' | 'skipped';
  /** What was checked and what was found, one line. */
  readonly what: string;
  /** How to fix it, one line (for a failure or a skip). */
  readonly fix?: string;
}

/** The SES sandbox's quota: 200 messages a day, 1 a second. */
const SANDBOX_MAX_24H = 200;

/** The DNS names the checks read: TXT (SPF, DMARC) and MX (MAIL FROM, reply domains). */
export function doctorLookups(config: Config): { readonly txt: string[]; readonly mx: string[] } {
  const domain = config.sending.domain;
  const spfName = config.sending.mailFromDomain ?? domain;
  const replyDomains = config.lists
    .filter((l) => !l.replyTo)
    .map((l) => domainOf(l.from.address))
    .filter((d, i, all) => all.indexOf(d) === i);
  const mx = [...(config.sending.mailFromDomain ? [config.sending.mailFromDomain] : []), ...replyDomains];
  return {
    txt: [...new Set([spfName, `_dmarc.${domain}`])],
    mx: [...new Set(mx)],
  };
}

/**
 * Every check, in the order printed: the identity and its DKIM, SPF, DMARC and MAIL FROM's MX, the
 * account's production access and quota, and where replies to each list without `replyTo` would go.
 *
 * @example
 * doctorChecks({ config, region: 'eu-west-1', txt, mx }).filter((c) => c.status === 'fail')
 */
export function doctorChecks(facts: DoctorFacts): DoctorCheck[] {
  return [
    ...identityChecks(facts),
    spfCheck(facts),
    dmarcCheck(facts),
    ...mailFromMxCheck(facts),
    quotaCheck(facts),
    ...replyChecks(facts),
  ];
}

function identityChecks({ config, identity }: DoctorFacts): DoctorCheck[] {
  const domain = config.sending.domain;
  if (identity === undefined) {
    const fix = 'run `tidings doctor --stack <name>` to ask SES about the deployed identity';
    return [
      { status: 'skipped', what: `identity ${domain}: SES not asked`, fix },
      { status: 'skipped', what: `DKIM of ${domain}: SES not asked`, fix },
    ];
  }
  if (typeof identity === 'string') {
    const fix =
      'check the AWS credentials and Region (AWS_PROFILE, AWS_REGION) and ses:GetIdentity* permissions';
    return [
      { status: 'fail', what: `identity ${domain}: SES could not be asked (${identity})`, fix },
      { status: 'skipped', what: `DKIM of ${domain}: SES could not be asked`, fix },
    ];
  }
  const verified = identity.verification === 'Success';
  const dkim = identity.dkimEnabled && identity.dkimStatus === 'Success';
  return [
    verified
      ? { status: 'ok', what: `identity ${domain} is verified in SES` }
      : {
          status: 'fail',
          what: `identity ${domain} is ${identity.verification === 'absent' ? 'not in SES' : `not verified (${identity.verification})`}`,
          fix:
            identity.verification === 'absent'
              ? 'deploy the stateful stack (`npx cdk deploy --all`): it creates the identity'
              : `publish the DKIM CNAME records the stack outputs for ${domain}; SES verifies the domain through them`,
        },
    dkim
      ? { status: 'ok', what: `DKIM of ${domain} signs (Easy DKIM verified)` }
      : {
          status: 'fail',
          what: `DKIM of ${domain} is ${identity.dkimEnabled ? `not verified (${identity.dkimStatus})` : 'disabled'}`,
          fix: `add the three <token>._domainkey.${domain} CNAME records from the stack outputs; Gmail and Yahoo refuse bulk mail without DKIM`,
        },
  ];
}

function spfCheck({ config, txt }: DoctorFacts): DoctorCheck {
  const name = config.sending.mailFromDomain ?? config.sending.domain;
  const answer = txt[name] ?? [];
  if (!Array.isArray(answer))
    return {
      status: 'fail',
      what: `SPF of ${name}: DNS lookup failed (${(answer as { error: string }).error})`,
      fix: 'check the domain and its name servers',
    };
  const spf = (answer as readonly string[]).filter((r) => /^v=spf1\b/i.test(r.trim()));
  const fixRecord = `add TXT ${name} "v=spf1 include:amazonses.com ~all"`;
  if (spf.length === 0) return { status: 'fail', what: `SPF: no v=spf1 record at ${name}`, fix: fixRecord };
  if (spf.length > 1)
    return {
      status: 'fail',
      what: `SPF: ${spf.length} v=spf1 records at ${name} (receivers treat that as an error)`,
      fix: 'merge them into one record',
    };
  if (!/include:amazonses\.com\b/i.test(spf[0] ?? ''))
    return {
      status: 'fail',
      what: `SPF of ${name} does not include amazonses.com: ${spf[0]}`,
      fix: fixRecord,
    };
  return { status: 'ok', what: `SPF of ${name} includes amazonses.com` };
}

function dmarcCheck({ config, txt }: DoctorFacts): DoctorCheck {
  const name = `_dmarc.${config.sending.domain}`;
  const answer = txt[name] ?? [];
  const fix = `add TXT ${name} "v=DMARC1; p=none; rua=mailto:dmarc@${config.sending.domain}" (Gmail and Yahoo require DMARC for bulk senders)`;
  if (!Array.isArray(answer))
    return {
      status: 'fail',
      what: `DMARC: DNS lookup of ${name} failed (${(answer as { error: string }).error})`,
      fix,
    };
  const record = (answer as readonly string[]).find((r) => /^v=DMARC1\b/i.test(r.trim()));
  return record
    ? { status: 'ok', what: `DMARC record at ${name}: ${record}` }
    : { status: 'fail', what: `DMARC: no v=DMARC1 record at ${name}`, fix };
}

function mailFromMxCheck({ config, mx, region }: DoctorFacts): DoctorCheck[] {
  const name = config.sending.mailFromDomain;
  if (!name) return [];
  const expected = `feedback-smtp.${region}.amazonses.com`;
  const answer = mx[name] ?? [];
  const found = Array.isArray(answer) ? (answer as readonly string[]) : [];
  return [
    found.some((x) => x.toLowerCase().replace(/\.$/, '') === expected)
      ? { status: 'ok', what: `MAIL FROM ${name} has MX ${expected}` }
      : {
          status: 'fail',
          what: `MAIL FROM ${name} has no MX ${expected}${found.length ? ` (found ${found.join(', ')})` : ''}`,
          fix: `add MX ${name} 10 ${expected}; without it SES falls back to amazonses.com and SPF does not align`,
        },
  ];
}

function quotaCheck({ config, quota }: DoctorFacts): DoctorCheck {
  if (quota === undefined)
    return {
      status: 'skipped',
      what: 'production access and quota: SES not asked',
      fix: 'run `tidings doctor --stack <name>`',
    };
  if (typeof quota === 'string')
    return {
      status: 'fail',
      what: `production access and quota: SES could not be asked (${quota})`,
      fix: 'check the AWS credentials and ses:GetSendQuota',
    };
  const line = `${quota.maxSendRate}/s, ${quota.max24HourSend} a day, ${quota.sentLast24Hours} sent in the last 24 h`;
  if (quota.max24HourSend <= SANDBOX_MAX_24H)
    return {
      status: 'fail',
      what: `the account is in the SES sandbox (${line}): only verified addresses receive mail`,
      fix: 'request production access in the SES console (Account dashboard → Request production access)',
    };
  if (config.sending.maxRate > quota.maxSendRate)
    return {
      status: 'ok',
      what: `production access (${line}); sending.maxRate ${config.sending.maxRate}/s is above it, so the senders pace at ${quota.maxSendRate}/s`,
    };
  return { status: 'ok', what: `production access (${line})` };
}

function replyChecks({ config, mx }: DoctorFacts): DoctorCheck[] {
  return config.lists
    .filter((l) => !l.replyTo)
    .map((l): DoctorCheck => {
      const domain = domainOf(l.from.address);
      const answer = mx[domain] ?? [];
      const has = Array.isArray(answer) && (answer as readonly string[]).length > 0;
      return has
        ? { status: 'ok', what: `list ${l.id}: replies go to ${l.from.address}, and ${domain} has an MX` }
        : {
            status: 'fail',
            what: `list ${l.id}: replies would go to ${l.from.address}, but ${domain} has no MX${Array.isArray(answer) ? '' : ` (lookup failed: ${(answer as { error: string }).error})`}`,
            fix: `set replyTo for list ${l.id} in the config, or give ${domain} an MX that someone reads`,
          };
    });
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
