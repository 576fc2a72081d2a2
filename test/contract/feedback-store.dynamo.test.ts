import { DynamoFeedbackStore } from '../../functions/adapters/aws/dynamo-feedback-store.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { freshTable } from './dynamo-table.ts';
import { describeFeedbackStoreContract } from './feedback-store.contract.ts';

const env = useEmulators();

describeFeedbackStoreContract('DynamoFeedbackStore', async () => ({
  store: new DynamoFeedbackStore(await freshTable(env)),
}));
