import { MemorySubscriberStore } from '../../functions/adapters/memory/memory-subscriber-store.ts';
import { describeSubscriberStoreContract } from './subscriber-store.contract.ts';

describeSubscriberStoreContract('MemorySubscriberStore', async () => ({
  store: new MemorySubscriberStore(),
}));
