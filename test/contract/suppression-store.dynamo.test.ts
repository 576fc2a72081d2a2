import { DynamoSuppressionStore } from '../../functions/adapters/aws/dynamo-suppression-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeSuppressionStoreContract } from './suppression-store.contract.ts';

const env = useEmulators();

describeSuppressionStoreContract('DynamoSuppressionStore', async () => ({
  store: new DynamoSuppressionStore(await freshTable(env)),
}));
