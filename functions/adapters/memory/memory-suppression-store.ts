import { emailKey } from '../../core/subscribers/email.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import type { Suppression, SuppressionStore } from '../../ports/suppression-store.ts';
import { byKey, copy, pageOf } from './memory-common.ts';

/**
 * Global suppressions in memory, keyed like DynamoSuppressionStore by the lowercased address:
 * the same reason keeps the first record, a new reason replaces it; pages are ordered by address.
 */
export class MemorySuppressionStore implements SuppressionStore {
  readonly #byKey = new Map<string, Suppression>();

  async get(email: string): Promise<Suppression | undefined> {
    const s = this.#byKey.get(emailKey(email));
    return s ? copy(s) : undefined;
  }

  async getMany(emails: readonly string[]): Promise<ReadonlyMap<string, Suppression>> {
    const out = new Map<string, Suppression>();
    for (const email of emails) {
      const s = this.#byKey.get(emailKey(email));
      if (s) out.set(email, copy(s));
    }
    return out;
  }

  async put(suppression: Suppression): Promise<boolean> {
    const k = emailKey(suppression.email);
    if (this.#byKey.get(k)?.reason === suppression.reason) return false;
    this.#byKey.set(k, copy(suppression));
    return true;
  }

  async putMany(suppressions: readonly Suppression[]): Promise<number> {
    const seen = new Set<string>();
    let written = 0;
    for (const s of suppressions) {
      // The first of two entries for one address wins, as in the DynamoDB adapter's batch.
      const k = emailKey(s.email);
      if (seen.has(k)) continue;
      seen.add(k);
      if (await this.put(s)) written++;
    }
    return written;
  }

  async remove(email: string): Promise<Suppression | undefined> {
    const k = emailKey(email);
    const s = this.#byKey.get(k);
    this.#byKey.delete(k);
    return s;
  }

  async page(cursor: string | undefined, limit: number): Promise<Page<Suppression>> {
    const entries = [...this.#byKey].map(([key, value]) => ({ key, value }));
    return pageOf(byKey(entries), cursor, limit, 'suppressions');
  }
}
