import { MemoryFeedbackStore } from '../../functions/adapters/memory/memory-feedback-store.ts';
import { describeFeedbackStoreContract } from './feedback-store.contract.ts';

describeFeedbackStoreContract('MemoryFeedbackStore', async () => ({ store: new MemoryFeedbackStore() }));
