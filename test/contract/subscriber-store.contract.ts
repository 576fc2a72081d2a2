import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStore } from '../../functions/ports/subscriber-store.ts';
import { aSubscriber } from '../helpers/factories.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every SubscriberStore does: one subscriber per inbox (case-insensitive), merges that never
 * drop data, no resubscribe through put, keyset pages that hold every member once, and one subscriber
 * when one new address is put concurrently.
 */
export function describeSubscriberStoreContract(name: string, make: MakeSubject<SubscriberStore>): void {
  describe(`${name} (SubscriberStore contract)`, () => {
    const store = useSubject(make);

    it('finds a subscriber by id and by address, whatever the case of the address', async () => {
      // Prepare
      const s = aSubscriber({ id: 's_find', email: 'Ada.Lovelace@example.com', name: 'Ada' });
      // Act
      const put = await store().put(s);
      // Assess
      expect(put.outcome).toBe('created');
      expect(await store().get('s_find')).toEqual(s);
      expect((await store().getByEmail('ada.lovelace@example.com'))?.id).toBe('s_find');
      expect(await store().get('s_missing')).toBeUndefined();
    });

    it('keeps one subscriber per inbox: a second put of the address merges into the first', async () => {
      // Prepare
      await store().put(aSubscriber({ id: 's_one', email: 'one@example.org', attributes: { plan: 'free' } }));
      // Act
      const second = await store().put(
        aSubscriber({
          id: 's_other',
          email: 'ONE@example.org',
          attributes: { city: 'Lyon' },
          lists: {
            essays: { status: 'subscribed', cadence: 'weekly', updatedAt: '2026-02-01T00:00:00.000Z' },
          },
          updatedAt: '2026-02-01T00:00:00.000Z',
        }),
      );
      // Assess
      expect(second.outcome).toBe('updated');
      const stored = await store().getByEmail('one@example.org');
      expect(stored?.id).toBe('s_one');
      expect(stored?.attributes).toEqual({ plan: 'free', city: 'Lyon' });
      expect(Object.keys(stored?.lists ?? {}).sort()).toEqual(['essays', 'podcast']);
      expect(await store().get('s_other')).toBeUndefined();
    });

    it('writes nothing and keeps updatedAt when the same subscriber is put again', async () => {
      // Prepare
      const s = aSubscriber({ id: 's_same', email: 'same@example.net' });
      await store().put(s);
      // Act
      const again = await store().put({ ...s, updatedAt: '2030-01-01T00:00:00.000Z' });
      // Assess
      expect(again.outcome).toBe('unchanged');
      expect((await store().get('s_same'))?.updatedAt).toBe(s.updatedAt);
    });

    it('never resubscribes an unsubscribed member through put, but does through setMembership', async () => {
      // Prepare
      const s = aSubscriber({ id: 's_left', email: 'left@example.com' });
      await store().put(s);
      await store().setMembership('s_left', 'podcast', {
        status: 'unsubscribed',
        unsubscribedAt: '2026-03-01T00:00:00.000Z',
        unsubscribeReason: 'one-click',
        updatedAt: '2026-03-01T00:00:00.000Z',
      });
      // Act
      await store().put({ ...s, updatedAt: '2026-03-02T00:00:00.000Z' });
      const afterPut = await store().get('s_left');
      const back = await store().setMembership('s_left', 'podcast', {
        status: 'subscribed',
        updatedAt: '2026-03-03T00:00:00.000Z',
      });
      // Assess
      expect(afterPut?.lists.podcast?.status).toBe('unsubscribed');
      expect(afterPut?.lists.podcast?.unsubscribeReason).toBe('one-click');
      expect(back.lists.podcast?.status).toBe('subscribed');
      expect(back.lists.podcast?.unsubscribedAt).toBeUndefined();
      expect(back.lists.podcast?.consent?.method).toBe('double-opt-in');
    });

    it('refuses to add a membership without a status and cadence, and an unknown subscriber', async () => {
      await store().put(aSubscriber({ id: 's_partial', email: 'partial@example.com' }));
      await expect(
        store().setMembership('s_partial', 'essays', {
          status: 'subscribed',
          updatedAt: '2026-01-01T00:00:00Z',
        }),
      ).rejects.toMatchObject({ code: 'MEMBERSHIP_INCOMPLETE' });
      await expect(
        store().setMembership('s_nobody', 'podcast', {
          status: 'subscribed',
          updatedAt: '2026-01-01T00:00:00Z',
        }),
      ).rejects.toMatchObject({ code: 'SUBSCRIBER_NOT_FOUND' });
    });

    it('pages every member of a list exactly once across pages, and nobody else', async () => {
      // Prepare: 137 weekly subscribers of 'paging', 20 unsubscribed, 15 on another cadence
      const members: Subscriber[] = [];
      for (let i = 0; i < 172; i++) {
        const status = i < 137 ? 'subscribed' : i < 157 ? 'unsubscribed' : 'subscribed';
        const cadence = i < 157 ? 'weekly' : 'daily';
        members.push(
          aSubscriber({
            id: `s_page_${String(i).padStart(3, '0')}`,
            email: `page${i}@example.org`,
            lists: { paging: { status, cadence, updatedAt: '2026-01-01T00:00:00.000Z' } },
          }),
        );
      }
      await store().putMany(members);
      // Act
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store().pageByList(
          'paging',
          { status: 'subscribed', cadence: 'weekly' },
          cursor,
          25,
        );
        seen.push(...page.items.map((m) => m.email));
        cursor = page.cursor;
        pages++;
      } while (cursor);
      // Assess
      expect(pages).toBeGreaterThanOrEqual(6);
      expect(seen).toHaveLength(137);
      expect(new Set(seen).size).toBe(137);
      expect(seen).toContain('page0@example.org');
      expect(seen).not.toContain('page140@example.org');
      expect(seen).not.toContain('page160@example.org');
    });

    it('pages all cadences of a status when no cadence is given', async () => {
      // Act
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().pageByList('paging', { status: 'subscribed' }, cursor, 40);
        seen.push(...page.items.map((m) => m.subscriberId));
        cursor = page.cursor;
      } while (cursor);
      // Assess
      expect(new Set(seen).size).toBe(152);
      expect(seen).toHaveLength(152);
    });

    it('moves a member between pages of the index when their status changes', async () => {
      // Prepare
      await store().put(
        aSubscriber({
          id: 's_move',
          email: 'move@example.com',
          lists: { moving: { status: 'subscribed', cadence: 'instant', updatedAt: '2026-01-01T00:00:00Z' } },
        }),
      );
      // Act
      await store().setMembership('s_move', 'moving', {
        status: 'unsubscribed',
        updatedAt: '2026-01-02T00:00:00Z',
      });
      // Assess
      const active = await store().pageByList('moving', { status: 'subscribed' }, undefined, 10);
      const gone = await store().pageByList('moving', { status: 'unsubscribed' }, undefined, 10);
      expect(active.items).toEqual([]);
      expect(gone.items.map((m) => m.email)).toEqual(['move@example.com']);
    });

    it('reports created, updated and unchanged per item from putMany, and re-running changes nothing', async () => {
      // Prepare
      await store().put(aSubscriber({ id: 's_bulk_old', email: 'bulk-old@example.com' }));
      const batch = [
        aSubscriber({ id: 's_bulk_new', email: 'bulk-new@example.com' }),
        aSubscriber({ id: 's_bulk_x', email: 'bulk-old@example.com', name: 'Renamed' }),
      ];
      // Act
      const first = await store().putMany(batch);
      const second = await store().putMany(batch);
      // Assess
      expect(first.map((r) => r.outcome)).toEqual(['created', 'updated']);
      expect(first[1]?.subscriber.id).toBe('s_bulk_old');
      expect(second.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
      const member = (
        await store().pageByList('podcast', { status: 'subscribed', cadence: 'instant' }, undefined, 500)
      ).items.find((m) => m.subscriberId === 's_bulk_old');
      expect(member?.name).toBe('Renamed');
    });

    it('keeps a time zone through updates that say nothing of it, and copies it onto the list pages', async () => {
      // Prepare
      await store().put(aSubscriber({ id: 's_zone', email: 'zone@example.com', timeZone: 'Asia/Tokyo' }));
      // Act: a later import without a zone, then a move to Berlin
      const silent = await store().put(
        aSubscriber({
          id: 's_zone2',
          email: 'zone@example.com',
          name: 'Zed',
          updatedAt: '2026-03-01T00:00:00.000Z',
        }),
      );
      const page1 = await store().pageByList(
        'podcast',
        { status: 'subscribed', cadence: 'instant' },
        undefined,
        500,
      );
      await store().putMany([
        aSubscriber({
          id: 's_zone3',
          email: 'zone@example.com',
          timeZone: 'Europe/Berlin',
          updatedAt: '2026-04-01T00:00:00.000Z',
        }),
      ]);
      const page2 = await store().pageByList(
        'podcast',
        { status: 'subscribed', cadence: 'instant' },
        undefined,
        500,
      );
      // Assess
      expect(silent.subscriber.timeZone).toBe('Asia/Tokyo');
      expect(page1.items.find((m) => m.subscriberId === 's_zone')?.timeZone).toBe('Asia/Tokyo');
      expect((await store().get('s_zone'))?.timeZone).toBe('Europe/Berlin');
      expect(page2.items.find((m) => m.subscriberId === 's_zone')?.timeZone).toBe('Europe/Berlin');
    });

    it('finds many subscribers by id and by address in one call', async () => {
      const byId = await store().getMany(['s_find', 's_one', 's_nope']);
      const byEmail = await store().getManyByEmail(['ada.lovelace@example.com', 'nobody@example.com']);
      expect([...byId.keys()].sort()).toEqual(['s_find', 's_one']);
      expect([...byEmail.entries()].map(([k, v]) => [k, v.id])).toEqual([
        ['ada.lovelace@example.com', 's_find'],
      ]);
    });

    it('lists every subscriber once through pageAll', async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().pageAll(cursor, 50);
        ids.push(...page.items.map((s) => s.id));
        cursor = page.cursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain('s_page_000');
      expect(ids).toContain('s_find');
    });

    it('removes a subscriber, their memberships and their address', async () => {
      // Prepare
      await store().put(
        aSubscriber({
          id: 's_gone',
          email: 'gone@example.com',
          lists: { removal: { status: 'subscribed', cadence: 'daily', updatedAt: '2026-01-01T00:00:00Z' } },
        }),
      );
      // Act
      await store().remove('s_gone');
      // Assess
      expect(await store().get('s_gone')).toBeUndefined();
      expect(await store().getByEmail('gone@example.com')).toBeUndefined();
      expect((await store().pageByList('removal', { status: 'subscribed' }, undefined, 10)).items).toEqual(
        [],
      );
      const again = await store().put(aSubscriber({ id: 's_gone2', email: 'gone@example.com' }));
      expect(again.subscriber.id).toBe('s_gone2');
    });

    it('makes exactly one subscriber when the same new address is put concurrently', async () => {
      const puts = await Promise.all(
        ['a', 'b', 'c', 'd'].map((x) =>
          store().put(aSubscriber({ id: `s_race_${x}`, email: 'race@example.com' })),
        ),
      );
      const ids = new Set(puts.map((p) => p.subscriber.id));
      expect(ids.size).toBe(1);
      expect(puts.filter((p) => p.outcome === 'created')).toHaveLength(1);
    });

    it('pages a list in the same order every time it is read', async () => {
      const read = async (limit: number) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().pageByList('paging', { status: 'subscribed' }, cursor, limit);
          ids.push(...page.items.map((m) => m.subscriberId));
          cursor = page.cursor;
        } while (cursor);
        return ids;
      };
      const first = await read(30);
      expect(await read(7)).toEqual(first);
      expect(first).toHaveLength(152);
    });

    it('keeps what it stored when a caller changes the object it gave or got', async () => {
      const given = aSubscriber({ id: 's_copy', email: 'copy@example.com', attributes: { plan: 'free' } });
      await store().put(given);
      (given.attributes as Record<string, string>).plan = 'changed after put';
      const got = await store().get('s_copy');
      (got?.attributes as Record<string, string>).plan = 'changed after get';
      expect((await store().get('s_copy'))?.attributes).toEqual({ plan: 'free' });
    });
  });
}
