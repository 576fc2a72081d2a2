import { SesQueryTransport } from '../../functions/adapters/aws/ses-query-transport.ts';
import { readSesStore } from '../../functions/local/emulators.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { describeMailTransportContract, MAIL_CONTRACT_SES } from './mail-transport.contract.ts';

// aws-ses-v2-local, set up as the contract asks: its quota, and one recipient it rejects.
const env = useEmulators({
  sendQuota: MAIL_CONTRACT_SES.quota,
  rejectRecipient: (a) => a === MAIL_CONTRACT_SES.rejectedRecipient,
});

describeMailTransportContract('SesQueryTransport', async () => {
  const { options } = env().clients;
  const transport = new SesQueryTransport({
    region: options.region,
    ...(options.endpoints?.ses ? { endpoint: options.endpoints.ses } : {}),
    credentials: options.credentials ?? { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  return {
    store: { transport, sent: () => readSesStore(env().emulators.sesStoreUrl) },
    cleanup: async () => transport.destroy(),
  };
});
