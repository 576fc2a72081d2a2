import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';

export interface CertificateStackProps extends StackProps {
  /** The host of config.publicUrl. */
  readonly domainName: string;
}

/**
 * The certificate of the public host, in us-east-1 where CloudFront reads it, for deployments whose config
 * names no `aws.certificateArn`. Validated by DNS: while `cdk deploy` waits on this stack, create the CNAME
 * that the ACM console (or `aws acm describe-certificate`) shows; the deploy continues once ACM sees it.
 * The stateless stack reads the ARN through CDK's cross-region references (SSM parameters in us-east-1).
 */
export class CertificateStack extends Stack {
  public readonly certificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: CertificateStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(),
    });
    new CfnOutput(this, 'CertificateArn', {
      value: this.certificate.certificateArn,
      description: `The certificate of ${props.domainName} (us-east-1), validated by DNS`,
    });
  }
}
