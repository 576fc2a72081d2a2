import { MemoryPostStore } from '../../functions/adapters/memory/memory-post-store.ts';
import { describePostStoreContract } from './post-store.contract.ts';

describePostStoreContract('MemoryPostStore', async () => ({ store: new MemoryPostStore() }));
