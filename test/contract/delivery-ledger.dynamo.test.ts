import { DynamoDeliveryLedger } from '../../functions/adapters/aws/dynamo-delivery-ledger.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { describeDeliveryLedgerContract } from './delivery-ledger.contract.ts';
import { freshTable } from './dynamo-table.ts';

const env = useEmulators();

describeDeliveryLedgerContract('DynamoDeliveryLedger', async () => ({
  store: new DynamoDeliveryLedger(await freshTable(env)),
}));
