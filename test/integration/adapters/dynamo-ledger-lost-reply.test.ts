// A claim whose reply was lost: the put reached DynamoDB (dynalite here), the answer did not, and the client
// sent the same put again, as the SDK and dynamo-json-client.ts do after a reset socket or a timeout. The
// retry meets the claim it made itself and fails its condition. The emulator cannot lose a reply, so the
// writes stand-in applies the put and then returns what the retry got.
import { describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../../functions/adapters/aws/clients.ts';
import {
  DynamoDeliveryLedger,
  type LedgerWrites,
} from '../../../functions/adapters/aws/dynamo-delivery-ledger.ts';
import { DynamoJsonClient } from '../../../functions/adapters/aws/dynamo-json-client.ts';
import { freshTable } from '../../contract/dynamo-table.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();

describe('DynamoDeliveryLedger.claim when the reply to the put was lost and the put was retried', () => {
  it("treats the claim it made itself as its own, and another sender's as already claimed", async () => {
    // Prepare
    const client = new DynamoJsonClient({
      region: 'us-east-1',
      endpoint: env().emulators.endpoints.dynamodb,
      credentials: EMULATOR_CREDENTIALS,
    });
    const retried: LedgerWrites = {
      // The first put lands; its reply is lost; the retried put is what the caller hears back.
      putItem: async (input) => {
        await client.putItem(input);
        await client.putItem(input);
      },
      updateItem: (input) => client.updateItem(input),
    };
    const table = await freshTable(env);
    const lossy = new DynamoDeliveryLedger({ ...table, writes: retried });
    const other = new DynamoDeliveryLedger(table);
    const key = { editionId: 'ed-lost', subscriberId: 's_ada' };

    // Act
    const first = await lossy.claim(key, 'ada@example.org', '2026-12-05T10:00:00.000Z');
    const second = await other.claim(key, 'ada@example.org', '2026-12-05T10:00:01.000Z');
    const third = await lossy.claim(key, 'ada@example.org', '2026-12-05T10:00:02.000Z');
    client.destroy();

    // Assess: the sender whose reply was lost still sends now; nobody else may.
    expect(first.outcome).toBe('claimed');
    expect(first.delivery).toMatchObject({ status: 'claimed', claimedAt: '2026-12-05T10:00:00.000Z' });
    expect(second.outcome).toBe('already-claimed');
    expect(third.outcome).toBe('already-claimed');
  });
});
