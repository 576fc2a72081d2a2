import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { emailKey } from '../../core/subscribers/email.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import type { Suppression, SuppressionReason, SuppressionStore } from '../../ports/suppression-store.ts';
import {
  batchGet,
  batchWrite,
  type DynamoOptions,
  type Item,
  isConditionFailure,
  key,
  queryPage,
  storeError,
} from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const suppressionKey = (email: string) => key(`SUPP#${emailKey(email)}`, 'SUPP');
/**
 * One index partition for all suppressions, ordered by address. Suppressions are written at the pace
 * of bounces and complaints (and once per import), far below one partition's write capacity.
 */
const INDEX_PK = 'SUPPRESSIONS';

/**
 * Global suppressions in the single table: `SUPP#<lowercased address> / SUPP`, indexed by
 * `gsi1pk = SUPPRESSIONS`, `gsi1sk = <lowercased address>` for paging. Send-time checks use BatchGetItem.
 */
export class DynamoSuppressionStore implements SuppressionStore {
  readonly #o: DynamoOptions;

  constructor(options: DynamoOptions) {
    this.#o = options;
  }

  async get(email: string): Promise<Suppression | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: suppressionKey(email), ConsistentRead: true }),
      );
      return res.Item ? toSuppression(res.Item) : undefined;
    } catch (e) {
      throw storeError(`get suppression of ${email}`, e);
    }
  }

  async getMany(emails: readonly string[]): Promise<ReadonlyMap<string, Suppression>> {
    const items = await batchGet(this.#o, emails.map(suppressionKey), { consistent: true });
    const byKey = new Map(items.map((i) => [i.emailKey as string, toSuppression(i)]));
    const out = new Map<string, Suppression>();
    for (const email of emails) {
      const s = byKey.get(emailKey(email));
      if (s) out.set(email, s);
    }
    return out;
  }

  async put(suppression: Suppression): Promise<boolean> {
    try {
      await this.#o.doc.send(
        new PutCommand({
          TableName: this.#o.tableName,
          Item: toItem(suppression),
          ConditionExpression: 'attribute_not_exists(#pk) OR #reason <> :reason',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#reason': 'reason' },
          ExpressionAttributeValues: { ':reason': suppression.reason },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`suppress ${suppression.email}`, e);
    }
  }

  async putMany(suppressions: readonly Suppression[]): Promise<number> {
    const existing = await this.getMany(suppressions.map((s) => s.email));
    const seen = new Set<string>();
    const writes = suppressions.filter((s) => {
      const k = emailKey(s.email);
      if (seen.has(k)) return false;
      seen.add(k);
      return existing.get(s.email)?.reason !== s.reason;
    });
    await batchWrite(this.#o, { puts: writes.map(toItem) });
    return writes.length;
  }

  async remove(email: string): Promise<Suppression | undefined> {
    try {
      const res = await this.#o.doc.send(
        new DeleteCommand({
          TableName: this.#o.tableName,
          Key: suppressionKey(email),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return res.Attributes ? toSuppression(res.Attributes) : undefined;
    } catch (e) {
      throw storeError(`unsuppress ${email}`, e);
    }
  }

  async page(cursor: string | undefined, limit: number): Promise<Page<Suppression>> {
    const page = await queryPage(
      this.#o,
      'suppressions',
      {
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.pk },
        ExpressionAttributeValues: { ':pk': INDEX_PK },
      },
      cursor,
      limit,
    );
    return { ...page, items: page.items.map(toSuppression) };
  }
}

function toItem(s: Suppression): Item {
  const k = emailKey(s.email);
  return {
    ...suppressionKey(s.email),
    type: 'suppression',
    email: s.email,
    emailKey: k,
    reason: s.reason,
    at: s.at,
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
    [TABLE_KEYS.gsi1.pk]: INDEX_PK,
    [TABLE_KEYS.gsi1.sk]: k,
  };
}

function toSuppression(i: Item): Suppression {
  return {
    email: i.email as string,
    reason: i.reason as SuppressionReason,
    at: i.at as string,
    ...(typeof i.detail === 'string' ? { detail: i.detail } : {}),
  };
}
