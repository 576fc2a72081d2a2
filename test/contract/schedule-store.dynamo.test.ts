import { DynamoScheduleStore } from '../../functions/adapters/aws/dynamo-schedule-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeScheduleStoreContract } from './schedule-store.contract.ts';

const env = useEmulators();

describeScheduleStoreContract('DynamoScheduleStore', async () => ({
  store: new DynamoScheduleStore(await freshTable(env)),
}));
