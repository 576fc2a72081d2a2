import { describe, expect, it } from 'vitest';
import type { DeliveryLedger } from '../../functions/ports/delivery-ledger.ts';
import { type MakeSubject, useSubject } from './harness.ts';

const T0 = '2026-04-01T08:00:00.000Z';
const T1 = '2026-04-01T08:05:00.000Z';

/**
 * What every DeliveryLedger does, exactly-once above all: of concurrent claims (and reclaims) of one
 * delivery only one wins; a delivery is sent once, keeps its first message id, and a result is final.
 */
export function describeDeliveryLedgerContract(name: string, make: MakeSubject<DeliveryLedger>): void {
  describe(`${name} (DeliveryLedger contract)`, () => {
    const ledger = useSubject(make);

    it('lets only the first of two claims of one delivery win; the second sees the first', async () => {
      // Prepare
      const key = { editionId: 'ed-1', subscriberId: 's_a' };
      // Act
      const first = await ledger().claim(key, 'a@example.com', T0);
      const second = await ledger().claim(key, 'a@example.com', T1);
      // Assess
      expect(first.outcome).toBe('claimed');
      expect(second.outcome).toBe('already-claimed');
      expect(second.delivery).toMatchObject({ status: 'claimed', claimedAt: T0, attempts: 1 });
    });

    it('gives exactly one winner when ten senders claim at once', async () => {
      const key = { editionId: 'ed-1', subscriberId: 's_race' };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => ledger().claim(key, 'race@example.com', T0)),
      );
      expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
    });

    it('records the message id once: a second markSent keeps the first id and reports no change', async () => {
      // Prepare
      const key = { editionId: 'ed-1', subscriberId: 's_sent' };
      await ledger().claim(key, 'sent@example.com', T0);
      // Act
      const first = await ledger().markSent(key, 'ses-1', T1);
      const second = await ledger().markSent(key, 'ses-2', T1);
      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await ledger().get(key)).toMatchObject({ status: 'sent', messageId: 'ses-1', sentAt: T1 });
    });

    it('records a failure with its reason, and never over a sent delivery', async () => {
      const failing = { editionId: 'ed-1', subscriberId: 's_fail' };
      await ledger().claim(failing, 'bad@example', T0);
      expect(await ledger().markFailed(failing, 'invalid-address', T1, 'Missing final @domain')).toBe(true);
      expect(await ledger().get(failing)).toMatchObject({
        status: 'failed',
        reason: 'invalid-address',
        detail: 'Missing final @domain',
      });
      const sent = { editionId: 'ed-1', subscriberId: 's_sent' };
      expect(await ledger().markFailed(sent, 'late', T1)).toBe(false);
      expect((await ledger().get(sent))?.status).toBe('sent');
    });

    it('records a skip without a claim, and a later claim sees the skip instead of sending', async () => {
      const key = { editionId: 'ed-1', subscriberId: 's_skip' };
      expect(await ledger().markSkipped(key, 'skip@example.com', 'suppressed', T0)).toBe(true);
      expect(await ledger().markSkipped(key, 'skip@example.com', 'suppressed', T0)).toBe(false);
      const claim = await ledger().claim(key, 'skip@example.com', T1);
      expect(claim.outcome).toBe('already-claimed');
      expect(claim.delivery).toMatchObject({ status: 'skipped', reason: 'suppressed' });
    });

    it('finds claims left without a result, older than the window, and not the others', async () => {
      // Prepare
      const stale = { editionId: 'ed-stale', subscriberId: 's_old' };
      const fresh = { editionId: 'ed-stale', subscriberId: 's_new' };
      const done = { editionId: 'ed-stale', subscriberId: 's_done' };
      await ledger().claim(stale, 'old@example.com', '2026-04-01T08:00:00.000Z');
      await ledger().claim(fresh, 'new@example.com', '2026-04-01T08:09:00.000Z');
      await ledger().claim(done, 'done@example.com', '2026-04-01T08:00:00.000Z');
      await ledger().markSent(done, 'ses-done', '2026-04-01T08:00:01.000Z');
      // Act
      const found = await ledger().findStaleClaims('ed-stale', '2026-04-01T08:05:00.000Z');
      // Assess
      expect(found.map((d) => d.subscriberId)).toEqual(['s_old']);
    });

    it('reindexes a claim as it was, and leaves a delivery with a result out of the stale claims', async () => {
      // Prepare
      const claimed = { editionId: 'ed-reidx', subscriberId: 's_claimed' };
      const sent = { editionId: 'ed-reidx', subscriberId: 's_sent' };
      await ledger().claim(claimed, 'claimed@example.com', '2026-04-01T08:00:00.000Z');
      await ledger().claim(sent, 'sent@example.com', '2026-04-01T08:00:00.000Z');
      await ledger().markSent(sent, 'ses-sent', '2026-04-01T08:00:01.000Z');
      // Act
      await ledger().reindexClaim(claimed);
      await ledger().reindexClaim(sent);
      await ledger().reindexClaim({ editionId: 'ed-reidx', subscriberId: 's_never' });
      // Assess
      const found = await ledger().findStaleClaims('ed-reidx', '2026-04-01T08:05:00.000Z');
      expect(found.map((d) => [d.subscriberId, d.claimedAt, d.attempts])).toEqual([
        ['s_claimed', '2026-04-01T08:00:00.000Z', 1],
      ]);
      expect(await ledger().get(sent)).toMatchObject({ status: 'sent', messageId: 'ses-sent' });
      expect(await ledger().get({ editionId: 'ed-reidx', subscriberId: 's_never' })).toBeUndefined();
    });

    it('reconciles from an SES Send event: the event carries the message id the ledger missed', async () => {
      // Prepare: SES accepted, then the sender crashed before markSent
      const key = { editionId: 'ed-rec', subscriberId: 's_crash' };
      await ledger().claim(key, 'crash@example.com', T0);
      // Act
      await ledger().recordSesEvent(key, {
        type: 'Send',
        messageId: 'ses-crash',
        at: '2026-04-01T08:00:01.000Z',
      });
      await ledger().recordSesEvent(key, {
        type: 'Delivery',
        messageId: 'ses-crash',
        at: '2026-04-01T08:00:03.000Z',
      });
      await ledger().recordSesEvent(
        { editionId: 'ed-rec', subscriberId: 's_unknown' },
        {
          type: 'Send',
          messageId: 'x',
          at: T0,
        },
      );
      // Assess
      const d = await ledger().get(key);
      expect(d?.sesMessageId).toBe('ses-crash');
      expect(d?.sesEvents).toEqual({
        Send: '2026-04-01T08:00:01.000Z',
        Delivery: '2026-04-01T08:00:03.000Z',
      });
      expect(await ledger().get({ editionId: 'ed-rec', subscriberId: 's_unknown' })).toBeUndefined();
    });

    it('lets one of two reclaimers take over a stale claim, and releases a claim that never reached SES', async () => {
      const key = { editionId: 'ed-re', subscriberId: 's_re' };
      await ledger().claim(key, 're@example.com', T0);
      const a = await ledger().reclaim(key, T0, T1);
      const b = await ledger().reclaim(key, T0, T1);
      expect(a).toMatchObject({ status: 'claimed', claimedAt: T1, attempts: 2 });
      expect(b).toBeUndefined();
      await ledger().release(key);
      expect((await ledger().claim(key, 're@example.com', T1)).outcome).toBe('claimed');
    });

    it('gives exactly one winner when ten senders reclaim one stale claim at once', async () => {
      const key = { editionId: 'ed-re', subscriberId: 's_re_race' };
      await ledger().claim(key, 're-race@example.com', T0);
      const results = await Promise.all(Array.from({ length: 10 }, () => ledger().reclaim(key, T0, T1)));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await ledger().get(key)).toMatchObject({ status: 'claimed', claimedAt: T1, attempts: 2 });
    });

    it('neither reclaims nor releases a delivery that has a result', async () => {
      const key = { editionId: 'ed-re', subscriberId: 's_re_sent' };
      await ledger().claim(key, 're-sent@example.com', T0);
      await ledger().markSent(key, 'ses-re', T1);
      expect(await ledger().reclaim(key, T0, T1)).toBeUndefined();
      await ledger().release(key);
      expect(await ledger().get(key)).toMatchObject({ status: 'sent', messageId: 'ses-re', attempts: 1 });
    });

    it('refuses to mark sent a delivery that was never claimed', async () => {
      await expect(
        ledger().markSent({ editionId: 'ed-re', subscriberId: 's_never' }, 'ses-x', T1),
      ).rejects.toMatchObject({ code: 'DELIVERY_NOT_FOUND' });
    });

    it('lists every delivery of an edition across pages', async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ledger().listByEdition('ed-1', cursor, 2);
        ids.push(...page.items.map((d) => d.subscriberId));
        cursor = page.cursor;
      } while (cursor);
      expect(ids.sort()).toEqual(['s_a', 's_fail', 's_race', 's_sent', 's_skip']);
    });
  });
}
