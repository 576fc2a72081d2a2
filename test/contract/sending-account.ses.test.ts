import { SESClient } from '@aws-sdk/client-ses';
import { SesSendingAccount } from '../../functions/adapters/aws/ses-sending-account.ts';
import { answerSesAccount } from '../helpers/ses-account-stand-in.ts';
import { standInClientConfig, useStandIn } from '../helpers/stand-ins.ts';
import { CONTRACT_SES_ACCOUNT, describeSendingAccountContract } from './sending-account.contract.ts';

// The SDK's SES client against the smallest server that speaks SES's identity and quota Query APIs.
const endpoint = useStandIn((req, body, res) => {
  if (!answerSesAccount(req, body, res, CONTRACT_SES_ACCOUNT)) {
    res.statusCode = 400;
    res.end();
  }
});

describeSendingAccountContract('SesSendingAccount', async () => {
  const ses = new SESClient(standInClientConfig(endpoint()));
  return { store: new SesSendingAccount(ses), cleanup: async () => ses.destroy() };
});
