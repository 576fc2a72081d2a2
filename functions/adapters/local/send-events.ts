import { DELIVERY_TAG_NAMES } from '../../core/editions/edition-id.ts';
import type { DeliveryLedger } from '../../ports/delivery-ledger.ts';
import type { MailTransport } from '../../ports/mail-transport.ts';

/**
 * Stands in, on one machine, for SES's configuration-set event publishing: on AWS, SES emits a Send
 * event (with the message's tags) for every accepted message, EventBridge hands it to the feedback
 * function, and the ledger records it. aws-ses-v2-local emits no events, so this wrapper records the
 * Send event right after the emulator accepted the message, on the emulator's side of the call: a
 * sender that "crashes" after SES accepted (fault injection wraps OUTSIDE this) still leaves the event
 * behind, as on AWS. Reconciliation of stale claims reads exactly these events.
 */
export function withLocalSendEvents(
  transport: MailTransport,
  ledger: DeliveryLedger,
  now: () => string = () => new Date().toISOString(),
): MailTransport {
  return {
    getQuota: () => transport.getQuota(),
    async sendRaw(raw, opts) {
      const result = await transport.sendRaw(raw, opts);
      const editionId = opts.tags[DELIVERY_TAG_NAMES.edition];
      const subscriberId = opts.tags[DELIVERY_TAG_NAMES.subscriber];
      if (editionId && subscriberId) {
        await ledger.recordSesEvent(
          { editionId, subscriberId },
          { type: 'Send', messageId: result.messageId, at: now() },
        );
      }
      return result;
    },
  };
}
