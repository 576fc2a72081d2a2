// The SES v1 identity and quota APIs (AWS Query in, XML out) as the smallest server on 127.0.0.1, for
// `tidings doctor`: aws-ses-v2-local does not answer GetIdentity*Attributes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdentityFacts, QuotaFacts } from '../../functions/core/doctor/checks.ts';

export interface SesAccountFacts {
  readonly identities: Readonly<Record<string, IdentityFacts>>;
  readonly quota: QuotaFacts;
}

const NS = 'xmlns="http://ses.amazonaws.com/doc/2010-12-01/"';
const META = '<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>';

/** Answers one SES Query call from `facts`; false when the request is not an SES identity or quota call. */
export function answerSesAccount(
  _req: IncomingMessage,
  body: string,
  res: ServerResponse,
  facts: SesAccountFacts,
): boolean {
  const params = new URLSearchParams(body);
  const action = params.get('Action');
  const identity = params.get('Identities.member.1') ?? '';
  const known = facts.identities[identity];
  res.setHeader('content-type', 'text/xml');
  if (action === 'GetIdentityVerificationAttributes') {
    const entry = known
      ? `<entry><key>${identity}</key><value><VerificationStatus>${known.verification}</VerificationStatus></value></entry>`
      : '';
    res.end(
      `<GetIdentityVerificationAttributesResponse ${NS}><GetIdentityVerificationAttributesResult><VerificationAttributes>${entry}</VerificationAttributes></GetIdentityVerificationAttributesResult>${META}</GetIdentityVerificationAttributesResponse>`,
    );
    return true;
  }
  if (action === 'GetIdentityDkimAttributes') {
    const entry = known
      ? `<entry><key>${identity}</key><value><DkimEnabled>${known.dkimEnabled}</DkimEnabled><DkimVerificationStatus>${known.dkimStatus}</DkimVerificationStatus><DkimTokens><member>t1</member></DkimTokens></value></entry>`
      : '';
    res.end(
      `<GetIdentityDkimAttributesResponse ${NS}><GetIdentityDkimAttributesResult><DkimAttributes>${entry}</DkimAttributes></GetIdentityDkimAttributesResult>${META}</GetIdentityDkimAttributesResponse>`,
    );
    return true;
  }
  if (action === 'GetSendQuota') {
    const q = facts.quota;
    res.end(
      `<GetSendQuotaResponse ${NS}><GetSendQuotaResult><Max24HourSend>${q.max24HourSend}</Max24HourSend><MaxSendRate>${q.maxSendRate}</MaxSendRate><SentLast24Hours>${q.sentLast24Hours}</SentLast24Hours></GetSendQuotaResult>${META}</GetSendQuotaResponse>`,
    );
    return true;
  }
  return false;
}
