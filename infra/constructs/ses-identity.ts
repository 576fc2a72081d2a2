import { CfnOutput, type CfnOutputProps, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SesIdentityProps {
  /** The sending domain (config.sending.domain). */
  readonly domain: string;
  /** Custom MAIL FROM subdomain (config.sending.mailFromDomain). @default - SES's amazonses.com MAIL FROM */
  readonly mailFromDomain?: string;
  /** Where the DMARC aggregate reports should go, for the suggested record. @default dmarc@<domain> */
  readonly dmarcReportAddress?: string;
}

/** The DNS records an operator creates for the sending domain, as output names (the README's table). */
export const SesDnsOutput = {
  Dkim: ['DkimRecord1', 'DkimRecord2', 'DkimRecord3'],
  MailFromMx: 'MailFromMx',
  Spf: 'Spf',
  Dmarc: 'Dmarc',
} as const;

/**
 * The SES domain identity with Easy DKIM (and an optional custom MAIL FROM), kept with `RETAIN` in the
 * stateful stack: its DKIM tokens are what the operator put in DNS, so redeploying or destroying the
 * stateless stack must never create a new identity (new tokens, mail failing DKIM until DNS is edited).
 * It names no configuration set: messages name theirs (SendRawEmail's ConfigurationSetName), and a
 * reference to the stateless stack's set would tie this stack to that one.
 */
export class SesIdentity extends Construct {
  public readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: SesIdentityProps) {
    super(scope, id);
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.domain),
      dkimSigning: true,
      ...(props.mailFromDomain ? { mailFromDomain: props.mailFromDomain } : {}),
    });
    this.identity.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const region = Stack.of(this).region;
    this.identity.dkimRecords.forEach((record, i) => {
      output(this, SesDnsOutput.Dkim[i] ?? `DkimRecord${i + 1}`, {
        description: `DKIM: create this CNAME record (${i + 1} of 3)`,
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
      });
    });
    if (props.mailFromDomain) {
      output(this, SesDnsOutput.MailFromMx, {
        description: 'Custom MAIL FROM: create this MX record',
        value: Fn.join('', [props.mailFromDomain, ' MX 10 feedback-smtp.', region, '.amazonses.com']),
      });
      output(this, SesDnsOutput.Spf, {
        description: 'SPF for the custom MAIL FROM domain: create this TXT record',
        value: `${props.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      });
    } else {
      output(this, SesDnsOutput.Spf, {
        description:
          'SPF: SES uses its own MAIL FROM domain (amazonses.com); set sending.mailFromDomain to align SPF',
        value: 'none needed without a custom MAIL FROM',
      });
    }
    output(this, SesDnsOutput.Dmarc, {
      description: 'DMARC, a suggestion to start with: monitor (p=none), then move to quarantine',
      value: `_dmarc.${props.domain} TXT "v=DMARC1; p=none; rua=mailto:${props.dmarcReportAddress ?? `dmarc@${props.domain}`}"`,
    });
  }
}

/** An output under its own name (not a path hash): the README's DNS table and `tidings doctor` read it. */
function output(scope: Construct, name: string, props: CfnOutputProps): void {
  new CfnOutput(scope, name, props).overrideLogicalId(name);
}
