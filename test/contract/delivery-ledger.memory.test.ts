import { MemoryDeliveryLedger } from '../../functions/adapters/memory/memory-delivery-ledger.ts';
import { describeDeliveryLedgerContract } from './delivery-ledger.contract.ts';

describeDeliveryLedgerContract('MemoryDeliveryLedger', async () => ({ store: new MemoryDeliveryLedger() }));
