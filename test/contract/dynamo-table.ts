import type { DynamoOptions } from '../../functions/adapters/aws/dynamo-common.ts';
import { createTable } from '../../functions/local/emulators.ts';
import type { EmulatorContext } from '../helpers/emulators.ts';

let tables = 0;

/**
 * A new, empty single table in the emulators' dynalite for one contract suite, so suites (and the
 * memory and DynamoDB runs of one contract) never see each other's items.
 */
export async function freshTable(env: () => EmulatorContext): Promise<DynamoOptions> {
  tables++;
  const tableName = `contract-${process.pid}-${tables}`;
  await createTable(env().clients.dynamodb, tableName);
  return { doc: env().clients.doc, tableName };
}
