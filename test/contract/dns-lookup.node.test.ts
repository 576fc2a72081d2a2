import { NodeDnsLookup } from '../../functions/adapters/web/dns-lookup.ts';
import { useDnsServer } from '../helpers/dns-server.ts';
import { CONTRACT_DNS_RECORDS, describeDnsLookupContract } from './dns-lookup.contract.ts';

// node's resolver against a DNS server on 127.0.0.1 (dns2) holding the contract's records.
const server = useDnsServer(() => CONTRACT_DNS_RECORDS);

describeDnsLookupContract('NodeDnsLookup', async () => ({ store: new NodeDnsLookup([server()]) }));
