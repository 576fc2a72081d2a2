import { DynamoPostStore } from '../../functions/adapters/aws/dynamo-post-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describePostStoreContract } from './post-store.contract.ts';

const env = useEmulators();

describePostStoreContract('DynamoPostStore', async () => ({
  store: new DynamoPostStore(await freshTable(env)),
}));
