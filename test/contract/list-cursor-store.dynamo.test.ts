import { DynamoListCursorStore } from '../../functions/adapters/aws/dynamo-list-cursor-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeListCursorStoreContract } from './list-cursor-store.contract.ts';

const env = useEmulators();

describeListCursorStoreContract('DynamoListCursorStore', async () => ({
  store: new DynamoListCursorStore(await freshTable(env)),
}));
