import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { NotFoundError, TidingsError } from '../../core/errors.ts';

/** Output keys of the stacks (infra/stacks/*.ts), as `tidings` reads them. */
export const StackOutputKey = {
  BucketName: 'BucketName',
  TableName: 'TableName',
  PublishUrl: 'PublishUrl',
  SubscriberUrl: 'SubscriberUrl',
  SendQueueUrl: 'SendQueueUrl',
  SendTimerGroup: 'SendTimerGroup',
  SendTimerTargetArn: 'SendTimerTargetArn',
  SendTimerRoleArn: 'SendTimerRoleArn',
} as const;

/** What `tidings publish --stack` needs to find from a deployment. */
export interface DeployedResources {
  /** The stateful stack that was read. */
  readonly stackName: string;
  /** The posts bucket: a put under `posts/` publishes. */
  readonly bucketName: string;
  readonly tableName?: string;
}

/**
 * The stateful stack's name for what the user typed: the stack prefix from the config (`Tidings`), or the
 * stateful stack's own name (`Tidings-stateful`).
 */
export function statefulStackName(nameOrPrefix: string): string {
  return nameOrPrefix.endsWith('-stateful') ? nameOrPrefix : `${nameOrPrefix}-stateful`;
}

/** Reads one stack's outputs as a plain map. A missing stack is a NotFoundError naming it. */
export async function readStackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new NotFoundError(
        'STACK_NOT_FOUND',
        `stack ${stackName} does not exist in this account and Region; deploy it with \`npx cdk deploy --all\` or check --stack and AWS_REGION`,
        { cause: error },
      );
    }
    throw new TidingsError(
      'STACK_UNREADABLE',
      `stack ${stackName}: cannot describe it: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const outputs: Record<string, string> = {};
  for (const output of stacks?.[0]?.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
  }
  return outputs;
}

/**
 * Finds the deployed posts bucket (and table) from the stateful stack's outputs, so `tidings publish
 * --stack Tidings post.md` needs no bucket name.
 *
 * @example
 * const { bucketName } = await findDeployedResources(new CloudFormationClient({}), 'Tidings')
 */
export async function findDeployedResources(
  client: CloudFormationClient,
  nameOrPrefix: string,
): Promise<DeployedResources> {
  const stackName = statefulStackName(nameOrPrefix);
  const outputs = await readStackOutputs(client, stackName);
  const bucketName = outputs[StackOutputKey.BucketName];
  if (!bucketName) {
    throw new NotFoundError(
      'STACK_OUTPUT_MISSING',
      `stack ${stackName} has no ${StackOutputKey.BucketName} output; is it a tidings stateful stack? redeploy with \`npx cdk deploy --all\``,
    );
  }
  const tableName = outputs[StackOutputKey.TableName];
  return { stackName, bucketName, ...(tableName ? { tableName } : {}) };
}
