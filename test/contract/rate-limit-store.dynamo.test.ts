import { DynamoRateLimitStore } from '../../functions/adapters/aws/dynamo-rate-limit-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeRateLimitStoreContract } from './rate-limit-store.contract.ts';

const env = useEmulators();

describeRateLimitStoreContract('DynamoRateLimitStore', async () => ({
  store: new DynamoRateLimitStore(await freshTable(env)),
}));
