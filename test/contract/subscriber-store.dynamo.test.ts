import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeSubscriberStoreContract } from './subscriber-store.contract.ts';

const env = useEmulators();

describeSubscriberStoreContract('DynamoSubscriberStore', async () => ({
  store: new DynamoSubscriberStore(await freshTable(env)),
}));
