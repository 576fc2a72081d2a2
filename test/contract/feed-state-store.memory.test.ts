import { MemoryFeedStateStore } from '../../functions/adapters/memory/memory-feed-state-store.ts';
import { describeFeedStateStoreContract } from './feed-state-store.contract.ts';

describeFeedStateStoreContract('MemoryFeedStateStore', async () => ({ store: new MemoryFeedStateStore() }));
