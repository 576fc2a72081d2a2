import { MemorySendingPauseStore } from '../../functions/adapters/memory/memory-sending-pause-store.ts';
import { describeSendingPauseStoreContract } from './sending-pause-store.contract.ts';

describeSendingPauseStoreContract('MemorySendingPauseStore', async () => ({
  store: new MemorySendingPauseStore(),
}));
