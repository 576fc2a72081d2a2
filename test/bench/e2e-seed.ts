// The e2e bench's readers, written into a running local stack's table from a process of its own, as
// `tidings subscribers import` does against `tidings dev`: the importing client's memory is not the stack's.
//   node --import tsx test/bench/e2e-seed.ts <dynamodb endpoint> <table> <readers>
import { EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { LOCAL_REGION } from '../../functions/wiring/local.ts';
import { manySubscribers } from '../integration/delivery/stack.ts';

const [endpoint = '', tableName = '', readers = '0'] = process.argv.slice(2);
const clients = makeClients({
  region: LOCAL_REGION,
  endpoints: { dynamodb: endpoint },
  credentials: EMULATOR_CREDENTIALS,
});
const store = new DynamoSubscriberStore({ doc: clients.doc, tableName });
const list = manySubscribers(Number(readers), 'podcast', 'instant');
for (let i = 0; i < list.length; i += 500) await store.putMany(list.slice(i, i + 500));
clients.destroy();
