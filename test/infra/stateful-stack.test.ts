import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../functions/adapters/aws/dynamo-table.ts';
import { exampleConfig, synthApp } from './helpers.ts';

describe('StatefulStack', () => {
  let template: Template;

  beforeAll(async () => {
    // Prepare: the stateful stack does not depend on the handlers, so none are bundled here.
    const { stateful } = synthApp(await exampleConfig(), { bundle: false });
    template = Template.fromStack(stateful);
  });

  it('keeps the table on-demand, with the adapters’ keys and indexes, PITR and deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [
          { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [TABLE_KEYS.gsi1, TABLE_KEYS.gsi2].map((g) =>
          Match.objectLike({
            IndexName: g.name,
            KeySchema: [
              { AttributeName: g.pk, KeyType: 'HASH' },
              { AttributeName: g.sk, KeyType: 'RANGE' },
            ],
          }),
        ),
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    });
  });

  it('pins the logical ids of the table, the bucket and the signing key', () => {
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual(['TidingsTable']);
    expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toEqual(['TidingsSigningKey']);
    expect(Object.keys(template.findResources('AWS::S3::Bucket')).sort()).toEqual([
      'TidingsAccessLogs',
      'TidingsPosts',
    ]);
  });

  it('keeps the posts bucket private, encrypted, TLS-only, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: 'TidingsAccessLogs' } }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'TidingsPosts' },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('generates the signing key at deploy as JSON {kid, secret}, never in the template', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: Match.objectLike({
          SecretStringTemplate: JSON.stringify({ kid: 'k1' }),
          GenerateStringKey: 'secret',
          PasswordLength: 64,
        }),
        SecretString: Match.absent(),
      }),
    });
  });

  it('exports the names the stateless stack and `tidings publish --stack` read', () => {
    const outputs = template.findOutputs('*');
    const exported = Object.keys(outputs).filter((name) => outputs[name]?.Export !== undefined);
    expect(exported.sort()).toEqual(['BucketArn', 'BucketName', 'SigningKeyArn', 'TableArn', 'TableName']);
    expect(outputs.BucketName?.Export).toEqual({ Name: 'Tidings-stateful:BucketName' });
  });

  it('keeps the SES identity with its DKIM here, retained, so the stateless stack can come and go without DNS changes', async () => {
    const config = await exampleConfig();
    template.hasResource('AWS::SES::EmailIdentity', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        EmailIdentity: config.sending.domain,
        DkimAttributes: { SigningEnabled: true },
      }),
    });
    expect(Object.keys(template.findResources('AWS::SES::EmailIdentity'))).toEqual(['TidingsSesIdentity']);
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['DkimRecord1', 'DkimRecord2', 'DkimRecord3', 'MailFromMx', 'Spf', 'Dmarc']),
    );
  });

  it('lets CloudFront read only archive/ objects, and only for this account’s distributions', () => {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: 'TidingsPosts' }),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as { Principal?: unknown }[];
    const cloudfront = statements.filter((s) => JSON.stringify(s.Principal).includes('cloudfront'));
    expect(cloudfront).toEqual([
      {
        Sid: 'CloudFrontReadsTheArchive',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['TidingsPosts', 'Arn'] }, '/archive/*']] },
        Condition: {
          StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/*',
                ],
              ],
            },
          },
        },
      },
    ]);
  });
});
