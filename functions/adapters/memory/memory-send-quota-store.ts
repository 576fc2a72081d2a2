import type { SendQuota } from '../../ports/mail-transport.ts';
import type { CachedSendQuota, SendQuotaStore } from '../../ports/send-quota-store.ts';

/** The shared SES quota in memory. */
export class MemorySendQuotaStore implements SendQuotaStore {
  #item: CachedSendQuota | undefined;

  async get(): Promise<CachedSendQuota | undefined> {
    return this.#item ? { ...this.#item } : undefined;
  }

  async claimRefresh(now: string, notBefore: string): Promise<boolean> {
    const claimedAt = this.#item?.claimedAt;
    if (claimedAt !== undefined && claimedAt >= notBefore) return false;
    this.#item = { ...this.#item, claimedAt: now };
    return true;
  }

  async save(quota: SendQuota, at: string): Promise<void> {
    this.#item = { ...this.#item, quota: { ...quota }, fetchedAt: at };
  }
}
