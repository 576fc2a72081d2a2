import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../ports/errors.ts';
import type { EditionPause, SendingPause, SendingPauseStore } from '../../ports/sending-pause-store.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

/**
 * Sending pauses in the single table: a list's at `pk = LIST#<id>`, `sk = PAUSE`; an edition's at
 * `pk = EDITIONPAUSE#<id>`, `sk = PAUSE` (apart from the edition's own items, which are read by prefix).
 */
export class DynamoSendingPauseStore implements SendingPauseStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { readonly doc: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#doc = options.doc;
    this.#table = options.tableName;
  }

  async get(listId: string): Promise<SendingPause | undefined> {
    try {
      const out = await this.#doc.send(
        new GetCommand({ TableName: this.#table, Key: key(listId), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    } catch (cause) {
      throw new StoreError(`sending pause of list ${listId}: ${(cause as Error).message}`, { cause });
    }
  }

  async pause(pause: SendingPause): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...key(pause.listId), type: 'sending-pause', ...pause },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        }),
      );
      return true;
    } catch (cause) {
      if ((cause as Error).name === 'ConditionalCheckFailedException') return false;
      throw new StoreError(`pausing list ${pause.listId}: ${(cause as Error).message}`, { cause });
    }
  }

  async resume(listId: string): Promise<SendingPause | undefined> {
    try {
      const out = await this.#doc.send(
        new DeleteCommand({ TableName: this.#table, Key: key(listId), ReturnValues: 'ALL_OLD' }),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (cause) {
      throw new StoreError(`resuming list ${listId}: ${(cause as Error).message}`, { cause });
    }
  }

  async getEdition(editionId: string): Promise<EditionPause | undefined> {
    try {
      const out = await this.#doc.send(
        new GetCommand({ TableName: this.#table, Key: editionKey(editionId), ConsistentRead: true }),
      );
      return out.Item ? fromEditionItem(out.Item) : undefined;
    } catch (cause) {
      throw new StoreError(`pause of edition ${editionId}: ${(cause as Error).message}`, { cause });
    }
  }

  async pauseEdition(pause: EditionPause): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...editionKey(pause.editionId), type: 'edition-pause', ...pause },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        }),
      );
      return true;
    } catch (cause) {
      if ((cause as Error).name === 'ConditionalCheckFailedException') return false;
      throw new StoreError(`pausing edition ${pause.editionId}: ${(cause as Error).message}`, { cause });
    }
  }

  async resumeEdition(editionId: string): Promise<EditionPause | undefined> {
    try {
      const out = await this.#doc.send(
        new DeleteCommand({ TableName: this.#table, Key: editionKey(editionId), ReturnValues: 'ALL_OLD' }),
      );
      return out.Attributes ? fromEditionItem(out.Attributes) : undefined;
    } catch (cause) {
      throw new StoreError(`resuming edition ${editionId}: ${(cause as Error).message}`, { cause });
    }
  }
}

function key(listId: string) {
  return { [TABLE_KEYS.pk]: `LIST#${listId}`, [TABLE_KEYS.sk]: 'PAUSE' };
}

function editionKey(editionId: string) {
  return { [TABLE_KEYS.pk]: `EDITIONPAUSE#${editionId}`, [TABLE_KEYS.sk]: 'PAUSE' };
}

function fromEditionItem(item: Record<string, unknown>): EditionPause {
  return {
    editionId: String(item.editionId),
    listId: String(item.listId),
    reason: String(item.reason),
    at: String(item.at),
    ...(typeof item.detail === 'string' && { detail: item.detail }),
  };
}

function fromItem(item: Record<string, unknown>): SendingPause {
  return {
    listId: String(item.listId),
    reason: String(item.reason),
    at: String(item.at),
    ...(typeof item.bounceRate === 'number' && { bounceRate: item.bounceRate }),
    ...(typeof item.complaintRate === 'number' && { complaintRate: item.complaintRate }),
    ...(typeof item.sent === 'number' && { sent: item.sent }),
  };
}
