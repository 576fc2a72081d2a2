import { MemoryDnsLookup } from '../../functions/adapters/memory/memory-dns-lookup.ts';
import { CONTRACT_DNS_RECORDS, describeDnsLookupContract } from './dns-lookup.contract.ts';

describeDnsLookupContract('MemoryDnsLookup', async () => ({
  store: new MemoryDnsLookup(CONTRACT_DNS_RECORDS),
}));
