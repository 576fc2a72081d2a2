import { MemoryEditionStore } from '../../functions/adapters/memory/memory-edition-store.ts';
import { describeEditionStoreContract } from './edition-store.contract.ts';

describeEditionStoreContract('MemoryEditionStore', async () => ({ store: new MemoryEditionStore() }));
