import { MemorySuppressionStore } from '../../functions/adapters/memory/memory-suppression-store.ts';
import { describeSuppressionStoreContract } from './suppression-store.contract.ts';

describeSuppressionStoreContract('MemorySuppressionStore', async () => ({
  store: new MemorySuppressionStore(),
}));
