import { MemorySendingAccount } from '../../functions/adapters/memory/memory-sending-account.ts';
import { CONTRACT_SES_ACCOUNT, describeSendingAccountContract } from './sending-account.contract.ts';

describeSendingAccountContract('MemorySendingAccount', async () => ({
  store: new MemorySendingAccount(CONTRACT_SES_ACCOUNT),
}));
