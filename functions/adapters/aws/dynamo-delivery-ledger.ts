import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../core/errors.ts';
import type {
  ClaimResult,
  Delivery,
  DeliveryKey,
  DeliveryLedger,
  DeliveryStatus,
  SesEventType,
} from '../../ports/delivery-ledger.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import {
  type DynamoOptions,
  type Item,
  isConditionFailure,
  key,
  queryPage,
  storeError,
} from './dynamo-common.ts';
import type { JsonItem, PutItemInput, UpdateItemInput } from './dynamo-json-client.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

const deliveryKey = (k: DeliveryKey) => key(`EDITION#${k.editionId}`, `DLV#${k.subscriberId}`);
const staleIndexPk = (editionId: string) => `CLAIMED#${editionId}`;
const staleIndexSk = (claimedAt: string, subscriberId: string) => `${claimedAt}#${subscriberId}`;
const SES = 'ses:';

/** The two writes of every message (claim, result) on a lean client (dynamo-json-client.ts). */
export interface LedgerWrites {
  putItem(input: PutItemInput): Promise<void>;
  updateItem(input: UpdateItemInput): Promise<void>;
}

export interface DynamoLedgerOptions extends DynamoOptions {
  /** Where the claim and the results go; the DocumentClient when absent. Reads always use the DocumentClient. */
  readonly writes?: LedgerWrites;
}

/**
 * The delivery ledger in the single table: one item per (edition, subscriber),
 * `EDITION#<edition> / DLV#<subscriber>`, next to the edition's META item. The claim is a
 * conditional put (attribute_not_exists), so of two senders only one ever calls SES. While a
 * delivery is claimed without a result it carries `gsi2pk = CLAIMED#<edition>`,
 * `gsi2sk = <claimedAt>#<subscriber>` (a sparse index): stale claims are found with one query on
 * it, never a scan; every result removes those keys.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  readonly #o: DynamoOptions;
  readonly #writes: LedgerWrites;

  constructor(options: DynamoLedgerOptions) {
    this.#o = options;
    const { doc } = options;
    this.#writes = options.writes ?? {
      putItem: async (input) => void (await doc.send(new PutCommand(input))),
      updateItem: async (input) => void (await doc.send(new UpdateCommand(input))),
    };
  }

  async claim(k: DeliveryKey, email: string, now: string): Promise<ClaimResult> {
    // This call's mark on the claim. A client that retries the put after a reply it lost (a reset socket,
    // a timeout: the SDK and dynamo-json-client.ts both do) meets its own claim and fails the condition;
    // the mark tells that claim from another sender's, so the reader is sent now, not after the
    // reconciliation window.
    const claimId = randomUUID();
    const item: Item = {
      ...deliveryKey(k),
      type: 'delivery',
      editionId: k.editionId,
      subscriberId: k.subscriberId,
      email,
      status: 'claimed',
      claimedAt: now,
      attempts: 1,
      claimId,
      [TABLE_KEYS.gsi2.pk]: staleIndexPk(k.editionId),
      [TABLE_KEYS.gsi2.sk]: staleIndexSk(now, k.subscriberId),
    };
    try {
      await this.#writes.putItem({
        TableName: this.#o.tableName,
        Item: item as JsonItem,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
      });
      return { outcome: 'claimed', delivery: toDelivery(item) };
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(`claim ${k.editionId}/${k.subscriberId}`, e);
    }
    const current = await this.#getItem(k, `claim ${k.editionId}/${k.subscriberId}`);
    if (!current) {
      // Released between our put and our read: the caller may simply try again later.
      throw storeError(`claim ${k.editionId}/${k.subscriberId}`, new Error('claim vanished; retry'));
    }
    if (current.claimId === claimId && current.status === 'claimed')
      return { outcome: 'claimed', delivery: toDelivery(current) };
    return { outcome: 'already-claimed', delivery: toDelivery(current) };
  }

  async reclaim(k: DeliveryKey, seenClaimedAt: string, now: string): Promise<Delivery | undefined> {
    try {
      const res = await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: deliveryKey(k),
          UpdateExpression: 'SET claimedAt = :now, #gsk = :gsk ADD attempts :one',
          ConditionExpression: '#status = :claimed AND attribute_not_exists(messageId) AND claimedAt = :seen',
          ExpressionAttributeNames: { '#status': 'status', '#gsk': TABLE_KEYS.gsi2.sk },
          ExpressionAttributeValues: {
            ':now': now,
            ':gsk': staleIndexSk(now, k.subscriberId),
            ':one': 1,
            ':claimed': 'claimed',
            ':seen': seenClaimedAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toDelivery(res.Attributes) : undefined;
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw storeError(`reclaim ${k.editionId}/${k.subscriberId}`, e);
    }
  }

  async markSent(k: DeliveryKey, messageId: string, at: string): Promise<boolean> {
    const done = await this.#transition(k, {
      set: { status: 'sent', messageId, sentAt: at, finishedAt: at },
      remove: ['reason', 'detail'],
      condition: 'attribute_exists(#pk) AND #status <> :sent',
      conditionValues: { ':sent': 'sent' },
    });
    if (!done && !(await this.get(k))) {
      throw new NotFoundError(
        'DELIVERY_NOT_FOUND',
        `delivery ${k.editionId}/${k.subscriberId} was never claimed`,
      );
    }
    return done;
  }

  markFailed(k: DeliveryKey, reason: string, at: string, detail?: string): Promise<boolean> {
    return this.#transition(k, {
      set: { status: 'failed', reason, finishedAt: at, ...(detail !== undefined ? { detail } : {}) },
      condition: '#status = :claimed',
      conditionValues: { ':claimed': 'claimed' },
    });
  }

  markSkipped(k: DeliveryKey, email: string, reason: string, at: string): Promise<boolean> {
    return this.#transition(k, {
      set: {
        status: 'skipped',
        reason,
        finishedAt: at,
        email,
        type: 'delivery',
        editionId: k.editionId,
        subscriberId: k.subscriberId,
      },
      setIfAbsent: { claimedAt: at, attempts: 0 },
      condition: 'attribute_not_exists(#pk) OR #status = :claimed',
      conditionValues: { ':claimed': 'claimed' },
    });
  }

  async release(k: DeliveryKey): Promise<void> {
    try {
      await this.#o.doc.send(
        new DeleteCommand({
          TableName: this.#o.tableName,
          Key: deliveryKey(k),
          ConditionExpression: '#status = :claimed AND attribute_not_exists(messageId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(`release ${k.editionId}/${k.subscriberId}`, e);
    }
  }

  async get(k: DeliveryKey): Promise<Delivery | undefined> {
    const item = await this.#getItem(k, `get delivery ${k.editionId}/${k.subscriberId}`);
    return item ? toDelivery(item) : undefined;
  }

  async #getItem(k: DeliveryKey, what: string): Promise<Item | undefined> {
    try {
      const res = await this.#o.doc.send(
        new GetCommand({ TableName: this.#o.tableName, Key: deliveryKey(k), ConsistentRead: true }),
      );
      return res.Item as Item | undefined;
    } catch (e) {
      throw storeError(what, e);
    }
  }

  async reindexClaim(k: DeliveryKey): Promise<void> {
    const what = `reindex claim ${k.editionId}/${k.subscriberId}`;
    const current = await this.#getItem(k, what);
    if (current?.status !== 'claimed' || current.messageId !== undefined) return;
    const claimedAt = String(current.claimedAt);
    try {
      // The same key values: dynalite puts the index entry again (and deletes none, the key being equal).
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: deliveryKey(k),
          UpdateExpression: 'SET #gpk = :gpk, #gsk = :gsk',
          ConditionExpression: '#status = :claimed AND claimedAt = :seen',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#gpk': TABLE_KEYS.gsi2.pk,
            '#gsk': TABLE_KEYS.gsi2.sk,
          },
          ExpressionAttributeValues: {
            ':gpk': staleIndexPk(k.editionId),
            ':gsk': staleIndexSk(claimedAt, k.subscriberId),
            ':claimed': 'claimed',
            ':seen': claimedAt,
          },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw storeError(what, e);
    }
  }

  async findStaleClaims(editionId: string, olderThan: string, limit = 100): Promise<readonly Delivery[]> {
    try {
      const res = await this.#o.doc.send(
        new QueryCommand({
          TableName: this.#o.tableName,
          IndexName: TABLE_KEYS.gsi2.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :older',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi2.pk, '#sk': TABLE_KEYS.gsi2.sk },
          ExpressionAttributeValues: { ':pk': staleIndexPk(editionId), ':older': olderThan },
          Limit: limit,
        }),
      );
      // The index is eventually consistent: drop entries whose result has landed meanwhile.
      return (res.Items ?? []).map(toDelivery).filter((d) => d.status === 'claimed' && !d.messageId);
    } catch (e) {
      throw storeError(`find stale claims of ${editionId}`, e);
    }
  }

  async recordSesEvent(
    k: DeliveryKey,
    event: { readonly type: SesEventType; readonly messageId: string; readonly at: string },
  ): Promise<void> {
    try {
      await this.#o.doc.send(
        new UpdateCommand({
          TableName: this.#o.tableName,
          Key: deliveryKey(k),
          UpdateExpression:
            'SET #ev = if_not_exists(#ev, :at), sesMessageId = if_not_exists(sesMessageId, :mid)',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#ev': `${SES}${event.type}` },
          ExpressionAttributeValues: { ':at': event.at, ':mid': event.messageId },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e))
        throw storeError(`record ${event.type} of ${k.editionId}/${k.subscriberId}`, e);
    }
  }

  async listByEdition(editionId: string, cursor: string | undefined, limit: number): Promise<Page<Delivery>> {
    const page = await queryPage(
      this.#o,
      `deliveries of ${editionId}`,
      {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :dlv)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#sk': TABLE_KEYS.sk },
        ExpressionAttributeValues: { ':pk': `EDITION#${editionId}`, ':dlv': 'DLV#' },
      },
      cursor,
      limit,
    );
    return { ...page, items: page.items.map(toDelivery) };
  }

  /** One conditional state change; the result removes the delivery from the stale-claim index. */
  async #transition(
    k: DeliveryKey,
    change: {
      set: JsonItem;
      setIfAbsent?: JsonItem;
      remove?: string[];
      condition: string;
      conditionValues: JsonItem;
    },
  ): Promise<boolean> {
    const names: Record<string, string> = {
      '#pk': TABLE_KEYS.pk,
      '#status': 'status',
      '#g2pk': TABLE_KEYS.gsi2.pk,
      '#g2sk': TABLE_KEYS.gsi2.sk,
    };
    const values: Record<string, JsonItem[string]> = { ...change.conditionValues };
    const sets: string[] = [];
    let n = 0;
    for (const [attr, v] of Object.entries(change.set)) {
      names[`#s${n}`] = attr;
      values[`:s${n}`] = v;
      sets.push(`#s${n} = :s${n}`);
      n++;
    }
    for (const [attr, v] of Object.entries(change.setIfAbsent ?? {})) {
      names[`#s${n}`] = attr;
      values[`:s${n}`] = v;
      sets.push(`#s${n} = if_not_exists(#s${n}, :s${n})`);
      n++;
    }
    const removes = ['#g2pk', '#g2sk'];
    for (const attr of change.remove ?? []) {
      names[`#r${removes.length}`] = attr;
      removes.push(`#r${removes.length}`);
    }
    if (!change.condition.includes('#pk')) delete names['#pk'];
    try {
      await this.#writes.updateItem({
        TableName: this.#o.tableName,
        Key: deliveryKey(k) as JsonItem,
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
        ConditionExpression: change.condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw storeError(`record ${String(change.set.status)} for ${k.editionId}/${k.subscriberId}`, e);
    }
  }
}

function toDelivery(i: Item): Delivery {
  const sesEvents: Partial<Record<SesEventType, string>> = {};
  for (const [k, v] of Object.entries(i))
    if (k.startsWith(SES)) sesEvents[k.slice(SES.length) as SesEventType] = String(v);
  const opt = (name: string) => (typeof i[name] === 'string' ? { [name]: i[name] as string } : {});
  return {
    editionId: i.editionId as string,
    subscriberId: i.subscriberId as string,
    email: i.email as string,
    status: i.status as DeliveryStatus,
    claimedAt: i.claimedAt as string,
    attempts: Number(i.attempts ?? 0),
    ...opt('messageId'),
    ...opt('sentAt'),
    ...opt('reason'),
    ...opt('detail'),
    ...opt('finishedAt'),
    sesEvents,
    ...opt('sesMessageId'),
  };
}
