import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../functions/core/config/schema.ts';
import { buildTidingsApp } from '../../infra/tidings-app.ts';
import { exampleConfig, PROJECT_ROOT } from './helpers.ts';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0b5d6a8e-1111-2222-3333-444455556666';

/** The app's stacks from a variant of the example config, handlers not bundled (their code is not read). */
function build(config: Config) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'tidings-app-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  return buildTidingsApp({ app, config, projectRoot: PROJECT_ROOT });
}

function viewerCertificate(template: Template): Record<string, unknown> {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig.ViewerCertificate;
}

describe('buildTidingsApp: the certificate of publicUrl', () => {
  it('creates it in a us-east-1 stack, validated by DNS, when the config names none', async () => {
    // Prepare
    const config = await exampleConfig();
    // Act
    const built = build(config);
    // Assess
    expect(built.certificate?.region).toBe('us-east-1');
    expect(built.stateless.region).toBe(config.aws.region);
    Template.fromStack(built.certificate as NonNullable<typeof built.certificate>).hasResourceProperties(
      'AWS::CertificateManager::Certificate',
      { DomainName: new URL(config.publicUrl).hostname, ValidationMethod: 'DNS' },
    );
    expect(built.stateless.dependencies).toContain(built.certificate);
  });

  it('uses the configured certificate ARN as is, with no certificate stack', async () => {
    // Prepare
    const example = await exampleConfig();
    const config = { ...example, aws: { ...example.aws, certificateArn: CERTIFICATE_ARN } };
    // Act
    const built = build(config);
    // Assess
    expect(built.certificate).toBeUndefined();
    expect(built.app.node.children.map((c) => c.node.id).sort()).toEqual([
      'Tidings-stateful',
      'Tidings-stateless',
    ]);
    expect(viewerCertificate(Template.fromStack(built.stateless))).toMatchObject({
      AcmCertificateArn: CERTIFICATE_ARN,
    });
  });

  it('stops with one line when it can neither create the certificate (no Region) nor use one', async () => {
    // Prepare
    const example = await exampleConfig();
    const { region: _none, ...aws } = example.aws;
    const saved = process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_REGION;
    // Act + Assess
    try {
      expect(() => build({ ...example, aws })).toThrow(
        'aws.region: needed to create the certificate of publicUrl in us-east-1; set aws.region, or aws.certificateArn to use an existing certificate',
      );
    } finally {
      if (saved !== undefined) process.env.CDK_DEFAULT_REGION = saved;
    }
  });
});
