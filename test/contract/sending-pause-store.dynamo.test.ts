import { DynamoSendingPauseStore } from '../../functions/adapters/aws/dynamo-sending-pause-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeSendingPauseStoreContract } from './sending-pause-store.contract.ts';

const env = useEmulators();

describeSendingPauseStoreContract('DynamoSendingPauseStore', async () => ({
  store: new DynamoSendingPauseStore(await freshTable(env)),
}));
