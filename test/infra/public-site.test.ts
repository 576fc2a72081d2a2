import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_SECRET_HEADER } from '../../functions/adapters/aws/lambda-env.ts';
import { ARCHIVE_INDEX_FUNCTION, PublicSite } from '../../infra/constructs/public-site.ts';
import { freshStack } from './helpers.ts';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0b5d6a8e-1111-2222-3333-444455556666';
// CloudFront's managed cache policies.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

interface Behavior {
  PathPattern?: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: unknown;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  OriginAccessControlId?: unknown;
}

describe('PublicSite', () => {
  let template: Template;
  let config: {
    Aliases: string[];
    ViewerCertificate: Record<string, unknown>;
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Origin[];
  };

  beforeAll(() => {
    // Prepare: the http function's public URL and the bucket, on a fresh stack.
    const stack = freshStack();
    const http = new lambda.Function(stack, 'Http', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
    const pagesUrl = http.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    // Act
    new PublicSite(stack, 'Site', {
      domainName: 'news.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE_ARN),
      pagesUrl,
      archiveBucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'posts-bucket'),
    });
    template = Template.fromStack(stack);
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    config = distribution?.Properties.DistributionConfig;
  });

  it('serves publicUrl’s host with the certificate, TLS 1.2 or later, HTTPS only', () => {
    expect(config.Aliases).toEqual(['news.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE_ARN,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('passes every method of the pages to the http function’s URL and caches nothing', () => {
    const pages = config.DefaultCacheBehavior;
    expect(pages.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST']));
    expect(pages.CachePolicyId).toBe(CACHING_DISABLED);
    const origin = config.Origins.find((o) => o.Id === pages.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain('"HttpFunctionUrl');
    expect(origin?.OriginAccessControlId).toBeUndefined();
  });

  it('forwards only Content-Type, Accept, the viewer address and the query; no cookie, no Host', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: {
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: ['Content-Type', 'Accept', 'CloudFront-Viewer-Address'],
        },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
    const policy = Object.keys(template.findResources('AWS::CloudFront::OriginRequestPolicy'))[0];
    expect(config.DefaultCacheBehavior.OriginRequestPolicyId).toEqual({ Ref: policy });
  });

  it('sends the origin secret as a header taken from Secrets Manager at deploy, never written in the template', () => {
    const pages = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(pages?.OriginCustomHeaders).toEqual([
      {
        HeaderName: ORIGIN_SECRET_HEADER,
        HeaderValue: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
        },
      },
    ]);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
  });

  it('serves /archive/* from the bucket through Origin Access Control, read-only and cached', () => {
    expect(config.CacheBehaviors).toHaveLength(1);
    const archive = config.CacheBehaviors[0];
    expect(archive).toMatchObject({
      PathPattern: '/archive/*',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_OPTIMIZED,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    const origin = config.Origins.find((o) => o.Id === archive?.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain('posts-bucket.s3.');
    expect(origin?.OriginAccessControlId).toBeDefined();
    expect((origin as { OriginPath?: string }).OriginPath).toBeUndefined();
  });

  it('tells the operator the CNAME to create for the host', () => {
    const outputs = template.findOutputs('*');
    expect(JSON.stringify(outputs.PublicHostRecord?.Value)).toMatch(
      /"news\.example\.com CNAME",\{"Fn::GetAtt":\["SiteDistribution[0-9A-F]+","DomainName"\]\}/,
    );
  });

  it('serves an archive page at /archive/<slug>/ from archive/<slug>/index.html, through a viewer-request function', () => {
    // Prepare: the function's own code, run on the URIs a reader's browser asks for
    const rewrite = new Function(`${ARCHIVE_INDEX_FUNCTION}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const uriOf = (uri: string) => rewrite({ request: { uri } }).uri;

    // Act
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0] as {
      Properties: { FunctionCode: string; FunctionConfig: { Runtime: string } };
    };
    const archive = config.CacheBehaviors.find((b) => b.PathPattern === '/archive/*') as Behavior & {
      FunctionAssociations?: { EventType: string }[];
    };

    // Assess
    expect(fn.Properties.FunctionCode).toBe(ARCHIVE_INDEX_FUNCTION);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(archive.FunctionAssociations?.map((a) => a.EventType)).toEqual(['viewer-request']);
    expect(uriOf('/archive/')).toBe('/archive/index.html');
    expect(uriOf('/archive/ep-42/')).toBe('/archive/ep-42/index.html');
    expect(uriOf('/archive/ep-42')).toBe('/archive/ep-42/index.html');
    expect(uriOf('/archive/page/2/')).toBe('/archive/page/2/index.html');
    expect(uriOf('/archive/digests/essays-weekly-3f9a1c2b7d4e/')).toBe(
      '/archive/digests/essays-weekly-3f9a1c2b7d4e/index.html',
    );
    expect(uriOf('/archive/feed.xml')).toBe('/archive/feed.xml');
  });
});
