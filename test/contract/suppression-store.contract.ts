import { describe, expect, it } from 'vitest';
import type { SuppressionStore } from '../../functions/ports/suppression-store.ts';
import { type MakeSubject, useSubject } from './harness.ts';

/**
 * What every SuppressionStore does: addresses compare case-insensitively, the same reason keeps the
 * first record, batch checks and puts, and pages ordered by address.
 */
export function describeSuppressionStoreContract(name: string, make: MakeSubject<SuppressionStore>): void {
  describe(`${name} (SuppressionStore contract)`, () => {
    const store = useSubject(make);

    it('finds a suppressed address whatever its case, and not an unsuppressed one', async () => {
      // Act
      const wrote = await store().put({
        email: 'Bounced@Example.com',
        reason: 'hard-bounce',
        at: '2026-01-01T00:00:00Z',
      });
      // Assess
      expect(wrote).toBe(true);
      expect((await store().get('bounced@example.com'))?.reason).toBe('hard-bounce');
      expect(await store().get('fine@example.com')).toBeUndefined();
    });

    it('answers a send-time batch check for many addresses in one call', async () => {
      // Prepare
      const emails = Array.from({ length: 130 }, (_, i) => `batch${i}@example.org`);
      await store().putMany(
        emails
          .filter((_, i) => i % 10 === 0)
          .map((email) => ({ email, reason: 'complaint' as const, at: '2026-01-02T00:00:00Z' })),
      );
      // Act
      const found = await store().getMany([...emails, 'BATCH20@example.org']);
      // Assess
      expect([...found.keys()].sort()).toEqual(
        [...emails.filter((_, i) => i % 10 === 0), 'BATCH20@example.org'].sort(),
      );
      expect(found.get('batch30@example.org')?.reason).toBe('complaint');
    });

    it('keeps the first record for the same reason and replaces it for a new reason', async () => {
      // Prepare
      await store().put({
        email: 'twice@example.com',
        reason: 'manual',
        at: '2026-01-01T00:00:00Z',
        detail: 'ops',
      });
      // Act
      const same = await store().put({
        email: 'twice@example.com',
        reason: 'manual',
        at: '2026-02-01T00:00:00Z',
      });
      const first = await store().get('twice@example.com');
      const other = await store().put({
        email: 'twice@example.com',
        reason: 'complaint',
        at: '2026-03-01T00:00:00Z',
      });
      // Assess
      expect(same).toBe(false);
      expect(first).toEqual({
        email: 'twice@example.com',
        reason: 'manual',
        at: '2026-01-01T00:00:00Z',
        detail: 'ops',
      });
      expect(other).toBe(true);
      expect((await store().get('twice@example.com'))?.reason).toBe('complaint');
    });

    it('counts only new or changed suppressions when the same batch is put again', async () => {
      const batch = [
        { email: 'again1@example.net', reason: 'hard-bounce' as const, at: '2026-01-01T00:00:00Z' },
        { email: 'again2@example.net', reason: 'hard-bounce' as const, at: '2026-01-01T00:00:00Z' },
      ];
      expect(await store().putMany(batch)).toBe(2);
      expect(await store().putMany(batch)).toBe(0);
    });

    it('removes a suppression and returns what it was', async () => {
      await store().put({ email: 'undo@example.com', reason: 'manual', at: '2026-01-01T00:00:00Z' });
      expect((await store().remove('UNDO@example.com'))?.reason).toBe('manual');
      expect(await store().get('undo@example.com')).toBeUndefined();
      expect(await store().remove('undo@example.com')).toBeUndefined();
    });

    it('pages every suppression once, ordered by address', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().page(cursor, 7);
        seen.push(...page.items.map((s) => s.email.toLowerCase()));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain('batch0@example.org');
      expect(seen).toContain('bounced@example.com');
      expect(seen).not.toContain('undo@example.com');
    });
  });
}
