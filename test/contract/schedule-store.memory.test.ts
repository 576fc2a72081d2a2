import { MemoryScheduleStore } from '../../functions/adapters/memory/memory-schedule-store.ts';
import { describeScheduleStoreContract } from './schedule-store.contract.ts';

describeScheduleStoreContract('MemoryScheduleStore', async () => ({ store: new MemoryScheduleStore() }));
