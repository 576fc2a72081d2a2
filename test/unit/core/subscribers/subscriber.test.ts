import { describe, expect, it } from 'vitest';
import { mergeSubscriber, newSubscriberId } from '../../../../functions/core/subscribers/index.ts';
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
