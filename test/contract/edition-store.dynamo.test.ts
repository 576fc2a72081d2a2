import { DynamoEditionStore } from '../../functions/adapters/aws/dynamo-edition-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeEditionStoreContract } from './edition-store.contract.ts';

const env = useEmulators();

describeEditionStoreContract('DynamoEditionStore', async () => ({
  store: new DynamoEditionStore(await freshTable(env)),
}));
