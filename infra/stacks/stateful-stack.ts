import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_KEYS as DYNAMO_KEYS } from '../../functions/adapters/aws/dynamo-table.ts';
import { SesIdentity, type SesIdentityProps } from '../constructs/ses-identity.ts';
import { ARCHIVE_PREFIX } from '../constructs/tidings-functions.ts';

/** The output names `tidings publish --stack` and the docs rely on. */
export const StatefulOutput = {
  BucketName: 'BucketName',
  BucketArn: 'BucketArn',
  TableName: 'TableName',
  TableArn: 'TableArn',
  SigningKeyArn: 'SigningKeyArn',
} as const;

/**
 * The export name of a stateful output. The stateless stack imports these explicit, stable names rather
 * than CDK's generated ones, so a refactor of either stack never trips over an export that is in use.
 */
export function statefulExportName(stackName: string, output: keyof typeof StatefulOutput): string {
  return `${stackName}:${StatefulOutput[output]}`;
}

/**
 * The key schema of the one table, taken from the DynamoDB adapters (functions/adapters/aws/dynamo-table.ts,
 * docs/table-design.md) so the deployed table and the emulated one cannot drift. Changing a key of a
 * deployed table replaces it, which `RETAIN` + deletion protection refuse: a key change needs a new table
 * and a migration.
 */
export const TABLE_INDEXES = [DYNAMO_KEYS.gsi1, DYNAMO_KEYS.gsi2] as const;
/** The attribute DynamoDB's TTL reads (rate-limit windows and feedback counters expire through it). */
export const TTL_ATTRIBUTE = 'ttl';

export interface StatefulStackProps extends StackProps {
  /** The sending domain and its custom MAIL FROM: the SES identity kept here (DKIM lives in DNS). */
  readonly sending: SesIdentityProps;
}

/**
 * Everything that holds data or lives in DNS: the table, the posts/archive bucket, the signing key and the
 * SES identity (its DKIM tokens are the operator's DNS records). It changes rarely,
 * every resource is `RETAIN`, and the logical ids are fixed (overrideLogicalId) so that a refactor of the
 * construct tree can never replace the table or the bucket.
 */
export class StatefulStack extends Stack {
  public readonly table: dynamodb.Table;
  public readonly bucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly signingKey: secretsmanager.Secret;
  /** The SES domain identity (Easy DKIM, MAIL FROM), RETAIN: its DNS records outlive every redeploy. */
  public readonly sesIdentity: SesIdentity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: DYNAMO_KEYS.pk, type: dynamodb.AttributeType.STRING },
      sortKey: { name: DYNAMO_KEYS.sk, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.pk, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sk, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    pinLogicalId(this.table, 'TidingsTable');

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.accessLogsBucket, 'TidingsAccessLogs');
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the posts bucket access logs; logging it into itself would log its own log writes in a loop, and a third bucket would only move the finding.',
    });

    this.bucket = new s3.Bucket(this, 'Posts', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // A put under posts/ is delivered to EventBridge, where the stateless stack's rule picks it up; an
      // S3 notification to a function of the other stack would make the two stacks depend on each other.
      eventBridgeEnabled: true,
      // The cast only bridges exactOptionalPropertyTypes: Bucket implements IBucket.
      serverAccessLogsBucket: this.accessLogsBucket as s3.IBucket,
      serverAccessLogsPrefix: 'posts-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.bucket, 'TidingsPosts');
    // eventBridgeEnabled is applied by CDK's own BucketNotifications custom resource (one per stack).
    const notificationsHandler = this.node.children.find((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketNotifications handler (a singleton it creates to turn on EventBridge delivery for the bucket) runs only at deploy time; its role is CDK's, with the basic execution policy for its own logs.",
      });
    }

    // Generated by Secrets Manager at deploy: the value never appears in the template, the CLI or the logs.
    this.signingKey = new secretsmanager.Secret(this, 'SigningKey', {
      description: 'tidings: HMAC key that signs unsubscribe, preferences and confirm links ({kid, secret})',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 'k1' }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.signingKey, 'TidingsSigningKey');
    Validations.of(this.signingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs unsubscribe links that must keep working for a year (CAN-SPAM asks for 30 days at least); an automatic rotation would break them. Rotation is a documented manual step (docs/deploy.md): put a new version with a new kid, and the keyring keeps verifying AWSPREVIOUS.',
    });

    // The web archive is served by the stateless stack's CloudFront distribution through Origin Access
    // Control. Naming that distribution here would make this stack depend on the other one, so CloudFront
    // may read archive/ objects for the distributions of this account only (and nothing else of the bucket).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsTheArchive',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': this.account },
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );

    this.sesIdentity = new SesIdentity(this, 'Ses', props.sending);
    pinLogicalId(this.sesIdentity.identity, 'TidingsSesIdentity');

    const outputs: Record<keyof typeof StatefulOutput, [string, string]> = {
      BucketName: [this.bucket.bucketName, 'Upload Markdown posts under posts/ to publish them'],
      BucketArn: [this.bucket.bucketArn, 'The posts and web archive bucket'],
      TableName: [this.table.tableName, 'The DynamoDB table'],
      TableArn: [this.table.tableArn, 'The DynamoDB table'],
      SigningKeyArn: [
        this.signingKey.secretArn,
        'The signing key (Secrets Manager); its value is never printed',
      ],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, name, {
        value,
        description,
        exportName: statefulExportName(this.stackName, name as keyof typeof StatefulOutput),
      });
    }
  }
}

/** Fixes a resource's CloudFormation logical id so that moving it in the construct tree never replaces it. */
function pinLogicalId(construct: Construct, logicalId: string): void {
  const resource = construct.node.defaultChild;
  if (resource && 'overrideLogicalId' in resource && typeof resource.overrideLogicalId === 'function') {
    resource.overrideLogicalId(logicalId);
  }
}
