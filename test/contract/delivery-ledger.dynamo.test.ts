import { EMULATOR_CREDENTIALS } from '../../functions/adapters/aws/clients.ts';
import { DynamoDeliveryLedger } from '../../functions/adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoJsonClient } from '../../functions/adapters/aws/dynamo-json-client.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { describeDeliveryLedgerContract } from './delivery-ledger.contract.ts';
import { freshTable } from './dynamo-table.ts';

const env = useEmulators();

describeDeliveryLedgerContract('DynamoDeliveryLedger (SDK writes)', async () => ({
  store: new DynamoDeliveryLedger(await freshTable(env)),
}));

// As the wiring builds it: the claim and the results through the lean JSON client, reads through the SDK.
describeDeliveryLedgerContract('DynamoDeliveryLedger (lean writes)', async () => {
  const writes = new DynamoJsonClient({
    region: 'us-east-1',
    endpoint: env().emulators.endpoints.dynamodb,
    credentials: EMULATOR_CREDENTIALS,
  });
  return {
    store: new DynamoDeliveryLedger({ ...(await freshTable(env)), writes }),
    cleanup: async () => writes.destroy(),
  };
});
