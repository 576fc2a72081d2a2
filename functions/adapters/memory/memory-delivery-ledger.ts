import { NotFoundError } from '../../core/errors.ts';
import type {
  ClaimResult,
  Delivery,
  DeliveryKey,
  DeliveryLedger,
  SesEventType,
} from '../../ports/delivery-ledger.ts';
import type { Page } from '../../ports/subscriber-store.ts';
import { byKey, copy, pageOf } from './memory-common.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Stored = Mutable<Omit<Delivery, 'sesEvents'>> & { sesEvents: Partial<Record<SesEventType, string>> };

const id = (k: DeliveryKey) => `${k.editionId}\u0000${k.subscriberId}`;

/**
 * The delivery ledger in memory, with DynamoDeliveryLedger's conditions: the first claim wins,
 * a reclaim wins only from the claimedAt it saw, a delivery is marked sent once (the first message
 * id is kept), failed only from claimed, skipped only without a result. Every method runs without
 * awaiting between its check and its write, so concurrent callers see one winner, as with DynamoDB's
 * conditional writes.
 */
export class MemoryDeliveryLedger implements DeliveryLedger {
  readonly #deliveries = new Map<string, Stored>();

  async claim(k: DeliveryKey, email: string, now: string): Promise<ClaimResult> {
    const current = this.#deliveries.get(id(k));
    if (current) return { outcome: 'already-claimed', delivery: copy(current) };
    const d: Stored = {
      editionId: k.editionId,
      subscriberId: k.subscriberId,
      email,
      status: 'claimed',
      claimedAt: now,
      attempts: 1,
      sesEvents: {},
    };
    this.#deliveries.set(id(k), d);
    return { outcome: 'claimed', delivery: copy(d) };
  }

  async reclaim(k: DeliveryKey, seenClaimedAt: string, now: string): Promise<Delivery | undefined> {
    const d = this.#deliveries.get(id(k));
    if (d?.status !== 'claimed' || d.messageId !== undefined || d.claimedAt !== seenClaimedAt) {
      return undefined;
    }
    d.claimedAt = now;
    d.attempts += 1;
    return copy(d);
  }

  async markSent(k: DeliveryKey, messageId: string, at: string): Promise<boolean> {
    const d = this.#deliveries.get(id(k));
    if (!d) {
      throw new NotFoundError(
        'DELIVERY_NOT_FOUND',
        `delivery ${k.editionId}/${k.subscriberId} was never claimed`,
      );
    }
    if (d.status === 'sent') return false;
    d.status = 'sent';
    d.messageId = messageId;
    d.sentAt = at;
    d.finishedAt = at;
    delete d.reason;
    delete d.detail;
    return true;
  }

  async markFailed(k: DeliveryKey, reason: string, at: string, detail?: string): Promise<boolean> {
    const d = this.#deliveries.get(id(k));
    if (d?.status !== 'claimed') return false;
    d.status = 'failed';
    d.reason = reason;
    d.finishedAt = at;
    if (detail !== undefined) d.detail = detail;
    return true;
  }

  async markSkipped(k: DeliveryKey, email: string, reason: string, at: string): Promise<boolean> {
    const d = this.#deliveries.get(id(k));
    if (d && d.status !== 'claimed') return false;
    const next: Stored = d ?? {
      editionId: k.editionId,
      subscriberId: k.subscriberId,
      email,
      status: 'skipped',
      claimedAt: at,
      attempts: 0,
      sesEvents: {},
    };
    next.status = 'skipped';
    next.reason = reason;
    next.finishedAt = at;
    next.email = email;
    this.#deliveries.set(id(k), next);
    return true;
  }

  async release(k: DeliveryKey): Promise<void> {
    const d = this.#deliveries.get(id(k));
    if (d?.status === 'claimed' && d.messageId === undefined) this.#deliveries.delete(id(k));
  }

  async reindexClaim(_k: DeliveryKey): Promise<void> {
    // No index here: findStaleClaims reads the deliveries themselves.
  }

  async get(k: DeliveryKey): Promise<Delivery | undefined> {
    const d = this.#deliveries.get(id(k));
    return d ? copy(d) : undefined;
  }

  async findStaleClaims(editionId: string, olderThan: string, limit = 100): Promise<readonly Delivery[]> {
    // The DynamoDB adapter's sparse index: key "<claimedAt>#<subscriber>", below `olderThan`, oldest first.
    const entries = [...this.#deliveries.values()]
      .filter((d) => d.editionId === editionId && d.status === 'claimed')
      .map((d) => ({ key: `${d.claimedAt}#${d.subscriberId}`, value: d }))
      .filter((e) => e.key < olderThan);
    return byKey(entries)
      .slice(0, limit)
      .map((e) => copy(e.value))
      .filter((d) => d.messageId === undefined);
  }

  async recordSesEvent(
    k: DeliveryKey,
    event: { readonly type: SesEventType; readonly messageId: string; readonly at: string },
  ): Promise<void> {
    const d = this.#deliveries.get(id(k));
    if (!d) return;
    d.sesEvents[event.type] ??= event.at;
    d.sesMessageId ??= event.messageId;
  }

  async listByEdition(editionId: string, cursor: string | undefined, limit: number): Promise<Page<Delivery>> {
    const entries = [...this.#deliveries.values()]
      .filter((d) => d.editionId === editionId)
      .map((d) => ({ key: d.subscriberId, value: d as Delivery }));
    return pageOf(byKey(entries), cursor, limit, `deliveries of ${editionId}`);
  }
}
