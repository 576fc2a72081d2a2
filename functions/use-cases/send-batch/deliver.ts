// One recipient: builds their message, paces it, sends it to SES and records the result in the ledger.
import { deliveryId, deliveryTags } from '../../core/editions/edition-id.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { RawMessage } from '../../core/mime/build-message.ts';
import { type BackoffPolicy, fullJitter } from '../../core/pacing/backoff.ts';
import { acquireSlot } from '../../core/pacing/pacer.ts';
import type { Delivery, DeliveryKey } from '../../ports/delivery-ledger.ts';
import { PermanentRecipientError, ThrottlingError, TransientSendError } from '../../ports/errors.ts';
import type { Subscriber } from '../../ports/subscriber-store.ts';
import type { PreparedEdition } from '../edition-message/types.ts';
import type { RecipientOutcome, SendBatchDeps } from './types.ts';

/**
 * Sends one claimed delivery and records its result. Shared by the batch sender and by the
 * reconciliation of stale claims (which resends under a reclaimed claim).
 */
export async function deliver(
  deps: Pick<
    SendBatchDeps,
    'ledger' | 'transport' | 'clock' | 'limiter' | 'pacer' | 'slots' | 'random' | 'config'
  >,
  prepared: PreparedEdition,
  delivery: Delivery,
  subscriber: Subscriber | undefined,
  retries: number,
  backoff: BackoffPolicy,
  stopped: () => boolean = () => false,
  deadline?: number,
): Promise<RecipientOutcome> {
  const key: DeliveryKey = { editionId: delivery.editionId, subscriberId: delivery.subscriberId };
  const id = deliveryId(delivery.editionId, delivery.subscriberId);
  let raw: RawMessage;
  try {
    raw = prepared.build({
      subscriberId: delivery.subscriberId,
      email: delivery.email,
      ...(subscriber?.name ? { name: subscriber.name } : {}),
      deliveryId: id,
      now: deps.clock.now(),
    });
  } catch (error) {
    // The MIME builder refuses an address that would break a header: that one delivery can never be sent.
    // Anything else it refuses (a link, a message id) is a configuration problem that would fail every
    // delivery: it fails the batch instead of marking readers' deliveries as failed.
    if (!(error instanceof InvalidInputError) || error.code !== 'ADDRESS_INVALID') throw error;
    await deps.ledger.markFailed(key, 'invalid-address', deps.clock.now().toISOString(), error.message);
    return { kind: 'failed', subscriberId: delivery.subscriberId, reason: 'invalid-address' };
  }
  for (let attempt = 0; ; attempt++) {
    // Past the invocation's deadline, nothing more goes to SES: the wait for a slot ends at the deadline
    // (no earlier attempt was accepted: a throttled one is the only kind that loops back here).
    const granted = await (deps.slots
      ? deps.slots.acquire(deadline)
      : acquireSlot(deps.limiter, deps.pacer, deadline));
    if (!granted) return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'out-of-time' };
    try {
      const { messageId } = await deps.transport.sendRaw(raw, {
        from: prepared.from,
        to: delivery.email,
        configurationSet: deps.config.sending.configurationSet,
        tags: deliveryTags({
          listId: prepared.listId,
          editionId: delivery.editionId,
          subscriberId: delivery.subscriberId,
        }),
      });
      await deps.ledger.markSent(key, messageId, deps.clock.now().toISOString());
      return { kind: 'sent', subscriberId: delivery.subscriberId, messageId };
    } catch (error) {
      if (error instanceof PermanentRecipientError) {
        await deps.ledger.markFailed(key, error.reason, deps.clock.now().toISOString(), error.message);
        return { kind: 'failed', subscriberId: delivery.subscriberId, reason: error.reason };
      }
      if (error instanceof ThrottlingError) {
        if (attempt >= retries || stopped())
          return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'throttled' };
        await deps.pacer.sleep(fullJitter(attempt, backoff, deps.random));
        continue;
      }
      if (error instanceof TransientSendError)
        return { kind: 'returned', subscriberId: delivery.subscriberId, reason: 'outcome-unknown' };
      throw error;
    }
  }
}
