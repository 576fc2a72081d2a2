import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SesIdentity, type SesIdentityProps } from '../../infra/constructs/ses-identity.ts';
import { freshStack } from './helpers.ts';

function build(props: Partial<SesIdentityProps> = {}) {
  const stack = freshStack();
  new SesIdentity(stack, 'Ses', { domain: 'news.example.com', ...props });
  return Template.fromStack(stack);
}

describe('SesIdentity', () => {
  it('keeps the domain identity with Easy DKIM when its stack is destroyed or it is replaced', () => {
    // Act
    const template = build({ mailFromDomain: 'bounce.news.example.com' });
    // Assess
    template.hasResource('AWS::SES::EmailIdentity', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        EmailIdentity: 'news.example.com',
        DkimAttributes: { SigningEnabled: true },
        MailFromAttributes: Match.objectLike({ MailFromDomain: 'bounce.news.example.com' }),
      },
    });
    // The stateless stack's configuration set is named by each message, not tied to the identity here.
    template.hasResourceProperties('AWS::SES::EmailIdentity', { ConfigurationSetAttributes: Match.absent() });
  });

  it('prints the three DKIM CNAMEs, the MAIL FROM MX and SPF TXT, and a DMARC TXT proposal', () => {
    // Act
    const outputs = build({ mailFromDomain: 'bounce.news.example.com' }).findOutputs('*');
    // Assess
    const value = (id: string) => JSON.stringify(outputs[id]?.Value);
    for (const i of [1, 2, 3]) {
      expect(value(`DkimRecord${i}`)).toContain('CNAME');
      expect(value(`DkimRecord${i}`)).toContain(`DkimDNSTokenName${i}`);
    }
    expect(value('MailFromMx')).toContain('bounce.news.example.com MX 10 feedback-smtp.');
    expect(outputs.Spf?.Value).toBe('bounce.news.example.com TXT "v=spf1 include:amazonses.com ~all"');
    expect(outputs.Dmarc?.Value).toBe(
      '_dmarc.news.example.com TXT "v=DMARC1; p=none; rua=mailto:dmarc@news.example.com"',
    );
  });

  it('asks for no MX record without a custom MAIL FROM domain', () => {
    // Act
    const outputs = build().findOutputs('*');
    // Assess
    expect(outputs.MailFromMx).toBeUndefined();
    expect(outputs.Spf?.Value).toBe('none needed without a custom MAIL FROM');
  });
});
