import { DynamoSendQuotaStore } from '../../functions/adapters/aws/dynamo-send-quota-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeSendQuotaStoreContract } from './send-quota-store.contract.ts';

const env = useEmulators();

describeSendQuotaStoreContract('DynamoSendQuotaStore', async () => ({
  store: new DynamoSendQuotaStore(await freshTable(env)),
}));
