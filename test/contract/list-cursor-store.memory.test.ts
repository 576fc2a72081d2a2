import { MemoryListCursorStore } from '../../functions/adapters/memory/memory-list-cursor-store.ts';
import { describeListCursorStoreContract } from './list-cursor-store.contract.ts';

describeListCursorStoreContract('MemoryListCursorStore', async () => ({
  store: new MemoryListCursorStore(),
}));
