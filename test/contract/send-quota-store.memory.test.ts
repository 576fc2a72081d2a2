import { MemorySendQuotaStore } from '../../functions/adapters/memory/memory-send-quota-store.ts';
import { describeSendQuotaStoreContract } from './send-quota-store.contract.ts';

describeSendQuotaStoreContract('MemorySendQuotaStore', async () => ({ store: new MemorySendQuotaStore() }));
