import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { POSTS_PREFIX } from './tidings-functions.ts';

export interface TidingsEndpointsProps {
  /** Publishes a post: from a SigV4-signed POST on its URL, or from an upload under `postsPrefix`. */
  readonly publish: lambda.IFunction;
  /** Serves the subscriber pages on a public URL. */
  readonly http: lambda.IFunction;
  /** The posts bucket's name, whose `Object Created` events the upload rule matches. */
  readonly bucketName: string;
  /** The key prefix under which an uploaded Markdown file is a post. @default POSTS_PREFIX ('posts/') */
  readonly postsPrefix?: string;
}

/**
 * The ways in from outside: the IAM-authorized publish URL, the rule that publishes a Markdown file put under
 * the posts prefix, and the public subscriber pages URL. The stack turns the URLs into its outputs.
 */
export class TidingsEndpoints extends Construct {
  /** POST a post here, signed with SigV4 (IAM: lambda:InvokeFunctionUrl). */
  public readonly publishUrl: lambda.FunctionUrl;
  /** The subscriber pages (subscribe, confirm, unsubscribe, preferences): public, no auth. */
  public readonly subscriberUrl: lambda.FunctionUrl;
  /** A Markdown file put under the posts prefix publishes it. */
  public readonly postUploaded: events.Rule;

  constructor(scope: Construct, id: string, props: TidingsEndpointsProps) {
    super(scope, id);
    const postsPrefix = props.postsPrefix ?? POSTS_PREFIX;
    this.subscriberUrl = props.http.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.publishUrl = props.publish.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    this.postUploaded = new events.Rule(this, 'PostUploaded', {
      description: `A Markdown file put under ${postsPrefix} publishes it`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucketName] },
          object: { key: [{ wildcard: `${postsPrefix}*.md` }] },
        },
      },
      targets: [new targets.LambdaFunction(props.publish, { retryAttempts: 4 })],
    });
  }
}
