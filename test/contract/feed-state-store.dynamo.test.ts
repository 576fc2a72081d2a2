import { DynamoFeedStateStore } from '../../functions/adapters/aws/dynamo-feed-state.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeFeedStateStoreContract } from './feed-state-store.contract.ts';

const env = useEmulators();

describeFeedStateStoreContract('DynamoFeedStateStore', async () => ({
  store: new DynamoFeedStateStore(await freshTable(env)),
}));
