import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { readStackOutputs, StackOutputKey, statefulStackName } from '../adapters/aws/stack-outputs.ts';
import type { Config } from '../core/config/schema.ts';
import { ConfigError, NotFoundError } from '../core/errors.ts';
import { type App, wire } from '../wiring.ts';

/**
 * Wires the CLI against a deployed stack: the table and the send queue named by the stacks' outputs
 * (`<prefix>-stateful`, `<prefix>-stateless`), with the AWS credentials and Region of the shell. Used by
 * `tidings status --stack <prefix>`.
 */
export async function wireAgainstStack(config: Config, stack: string): Promise<App> {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? config.aws.region;
  if (!region) {
    throw new ConfigError(
      'REGION_MISSING',
      `--stack ${stack}: no Region: set AWS_REGION or aws.region in the config`,
    );
  }
  const prefix = statefulStackName(stack).replace(/-stateful$/, '');
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const stateful = await readStackOutputs(cloudFormation, `${prefix}-stateful`);
    const stateless = await readStackOutputs(cloudFormation, `${prefix}-stateless`);
    const tableName = stateful[StackOutputKey.TableName];
    const sendQueueUrl = stateless[StackOutputKey.SendQueueUrl];
    if (!tableName || !sendQueueUrl) {
      throw new NotFoundError(
        'STACK_OUTPUT_MISSING',
        `stacks ${prefix}-stateful/-stateless lack the TableName or SendQueueUrl output; redeploy with \`npx cdk deploy --all\``,
      );
    }
    return wire({ config, tableName, sendQueueUrl, aws: { region } });
  } finally {
    cloudFormation.destroy();
  }
}
