import type { Cadence } from '../../core/config/schema.ts';
import { emailKey } from '../../core/subscribers/index.ts';
import type { ListMember, ListStatus, Membership, Subscriber } from '../../core/subscribers/model.ts';
import { StoreError } from '../../ports/errors.ts';
import { type Item, key, shardOf } from './dynamo-common.ts';
import { TABLE_KEYS } from './dynamo-table.ts';

// The subscriber items of the single table (docs/table-design.md) and their keys: what
// DynamoSubscriberStore writes and reads back.

/** pageAll spreads profiles over this many index partitions so one import does not heat one key. */
export const PROFILE_SHARDS = 8;

export const profileKey = (id: string) => key(`SUB#${id}`, 'PROFILE');
export const emailItemKey = (email: string) => key(`EMAIL#${emailKey(email)}`, 'EMAIL');
export const membershipKey = (id: string, listId: string) => key(`SUB#${id}`, `LIST#${listId}`);
export const listIndexPk = (listId: string, status: ListStatus, cadence: Cadence) =>
  `LIST#${listId}#${status}#${cadence}`;

export interface Stored {
  readonly subscriber: Subscriber;
  readonly rev: number;
}

export function profileItem(s: Subscriber, rev: number): Item {
  return {
    ...profileKey(s.id),
    type: 'subscriber',
    id: s.id,
    email: s.email,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
    attributes: s.attributes,
    lists: s.lists,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    rev,
    [TABLE_KEYS.gsi1.pk]: `SUBS#${shardOf(s.id, PROFILE_SHARDS)}`,
    [TABLE_KEYS.gsi1.sk]: s.id,
  };
}

export function membershipItem(s: Subscriber, listId: string): Item {
  const m = s.lists[listId];
  if (!m) throw new StoreError(`subscriber ${s.id} has no membership of list ${listId}`);
  return {
    ...membershipKey(s.id, listId),
    type: 'membership',
    subscriberId: s.id,
    listId,
    email: s.email,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
    membership: m,
    [TABLE_KEYS.gsi1.pk]: listIndexPk(listId, m.status, m.cadence),
    [TABLE_KEYS.gsi1.sk]: s.id,
  };
}

export function toSubscriber(i: Item): Subscriber {
  return {
    id: i.id as string,
    email: i.email as string,
    ...(typeof i.name === 'string' ? { name: i.name } : {}),
    ...(typeof i.timeZone === 'string' ? { timeZone: i.timeZone } : {}),
    attributes: (i.attributes ?? {}) as Record<string, string>,
    lists: (i.lists ?? {}) as Record<string, Membership>,
    createdAt: i.createdAt as string,
    updatedAt: i.updatedAt as string,
  };
}

export function toListMember(i: Item): ListMember {
  return {
    subscriberId: i.subscriberId as string,
    email: i.email as string,
    ...(typeof i.name === 'string' ? { name: i.name } : {}),
    ...(typeof i.timeZone === 'string' ? { timeZone: i.timeZone } : {}),
    listId: i.listId as string,
    membership: i.membership as Membership,
  };
}
