import { describe, expect, it } from 'vitest';
import {
  mergeSubscriber,
  newSubscriberId,
  patchMembership,
} from '../../../../functions/core/subscribers/index.ts';
import { aSubscriber } from '../../../helpers/factories.ts';

describe('newSubscriberId', () => {
  it('makes a 128-bit id safe for URLs and SES tags from the injected random source', () => {
    const id = newSubscriberId((n) => new Uint8Array(n).fill(255));
    expect(id).toMatch(/^s_[0-9a-z]{26}$/);
    expect(newSubscriberId((n) => new Uint8Array(n))).not.toBe(id);
  });
});

describe('mergeSubscriber', () => {
  const stored = aSubscriber({
    id: 's_1',
    email: 'ada@example.com',
    name: 'Ada',
    attributes: { plan: 'free' },
  });

  it('keeps the stored id and createdAt and merges attributes key by key', () => {
    const r = mergeSubscriber(stored, {
      ...aSubscriber({ id: 's_2', email: 'ada@example.com', attributes: { city: 'Lyon' } }),
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(r.changed).toBe(true);
    expect(r.subscriber).toMatchObject({ id: 's_1', createdAt: stored.createdAt, name: 'Ada' });
    expect(r.subscriber.attributes).toEqual({ plan: 'free', city: 'Lyon' });
  });

  it('reports no change, and keeps updatedAt, when only the times differ', () => {
    const r = mergeSubscriber(stored, {
      ...stored,
      updatedAt: '2030-01-01T00:00:00.000Z',
      lists: {
        podcast: {
          ...(stored.lists.podcast as NonNullable<typeof stored.lists.podcast>),
          updatedAt: '2030-01-01T00:00:00.000Z',
        },
      },
    });
    expect(r).toEqual({ subscriber: stored, changed: false, changedLists: [] });
  });

  it('never resubscribes an unsubscribed membership', () => {
    const left = {
      ...stored,
      lists: {
        podcast: {
          status: 'unsubscribed' as const,
          cadence: 'instant' as const,
          updatedAt: stored.updatedAt,
        },
      },
    };
    const r = mergeSubscriber(left, { ...stored, updatedAt: '2030-01-01T00:00:00.000Z' });
    expect(r.changed).toBe(false);
    expect(r.subscriber.lists.podcast?.status).toBe('unsubscribed');
  });

  it('lets an import unsubscribe an active member, and names the changed list', () => {
    const r = mergeSubscriber(stored, {
      ...stored,
      lists: {
        podcast: { status: 'unsubscribed', cadence: 'instant', updatedAt: '2030-01-01T00:00:00.000Z' },
      },
      updatedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(r.subscriber.lists.podcast?.status).toBe('unsubscribed');
    expect(r.changedLists).toEqual(['podcast']);
  });
});

describe('patchMembership', () => {
  const t0 = '2026-01-01T00:00:00.000Z';
  const t1 = '2026-02-01T00:00:00.000Z';
  const subscribed = { status: 'subscribed', cadence: 'weekly', updatedAt: t0 } as const;

  it('keeps the cadence when a patch only changes the status, and records why the reader left', () => {
    const next = patchMembership('s_1', 'news', subscribed, {
      status: 'unsubscribed',
      unsubscribedAt: t1,
      unsubscribeReason: 'one-click',
      updatedAt: t1,
    });
    expect(next).toEqual({
      status: 'unsubscribed',
      cadence: 'weekly',
      unsubscribedAt: t1,
      unsubscribeReason: 'one-click',
      updatedAt: t1,
    });
  });

  it('clears the old opt-out details when the reader comes back', () => {
    const left = {
      ...subscribed,
      status: 'unsubscribed',
      unsubscribedAt: t0,
      unsubscribeReason: 'link',
    } as const;
    expect(patchMembership('s_1', 'news', left, { status: 'subscribed', updatedAt: t1 })).toEqual({
      status: 'subscribed',
      cadence: 'weekly',
      updatedAt: t1,
    });
  });

  it('says "unchanged" (undefined) when only the time would differ', () => {
    expect(
      patchMembership('s_1', 'news', subscribed, { status: 'subscribed', updatedAt: t1 }),
    ).toBeUndefined();
  });

  it('refuses to add a list without both a status and a cadence, naming subscriber and list', () => {
    expect(() => patchMembership('s_1', 'news', undefined, { status: 'subscribed', updatedAt: t1 })).toThrow(
      /subscriber s_1 is not on list news: give both a status and a cadence/,
    );
  });
});
