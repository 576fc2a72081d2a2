import { MemoryRateLimitStore } from '../../functions/adapters/memory/memory-rate-limit-store.ts';
import { describeRateLimitStoreContract } from './rate-limit-store.contract.ts';

describeRateLimitStoreContract('MemoryRateLimitStore', async () => ({ store: new MemoryRateLimitStore() }));
