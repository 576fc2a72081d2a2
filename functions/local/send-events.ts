import { DELIVERY_TAG_NAMES } from '../core/editions/edition-id.ts';
import type { DeliveryLedger } from '../ports/delivery-ledger.ts';
import { readSentRecords } from './ses-journal.ts';

/**
 * Stands in, on one machine, for SES's configuration-set event publishing. On AWS, SES emits a Send
 * event (with the message's tags) for every message it accepted; EventBridge hands it to the feedback
 * function, which records it on the delivery. aws-ses-v2-local emits no events, but it does keep every
 * accepted message with its tags: this reads that record and delivers the Send events the ledger needs
 * to reconcile, just before reconciliation, for the stale claims only (recording an event per message
 * on the hot path would halve the local send rate for nothing).
 *
 * Returns how many Send events were recorded.
 */
export async function deliverLocalSendEvents(options: {
  readonly sesStoreUrl: string;
  readonly ledger: DeliveryLedger;
  readonly editionId: string;
  /** Only claims older than this (ISO 8601) are looked at, as reconciliation does. */
  readonly olderThan: string;
}): Promise<number> {
  const stale = await options.ledger.findStaleClaims(options.editionId, options.olderThan, 1000);
  if (stale.length === 0) return 0;
  const wanted = new Set(stale.map((d) => d.subscriberId));
  let recorded = 0;
  // The emulator's record of what it accepted: on disk under `tidings dev`, so it covers the messages a
  // killed process sent too (ses-journal.ts).
  for (const message of await readSentRecords(options.sesStoreUrl)) {
    const editionId = message.tags[DELIVERY_TAG_NAMES.edition];
    const subscriberId = message.tags[DELIVERY_TAG_NAMES.subscriber];
    if (editionId !== options.editionId || !subscriberId || !wanted.has(subscriberId)) continue;
    await options.ledger.recordSesEvent(
      { editionId, subscriberId },
      { type: 'Send', messageId: message.messageId, at: new Date(message.at * 1000).toISOString() },
    );
    recorded++;
  }
  return recorded;
}
