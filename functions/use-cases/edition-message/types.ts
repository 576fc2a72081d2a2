// The types shared by the two halves of an edition's message: compile.ts (plan time: MJML and the MIME
// composer, once per edition) and prepare.ts (send time: the stored compiled message, spliced per recipient).
import type { RawMessage } from '../../core/mime/build-message.ts';

/** The edition a message is made for: its id, its list, and the cadences it goes to. */
export interface EditionTarget {
  readonly id: string;
  readonly listId: string;
  readonly cadences: readonly string[];
}

/** One recipient of a prepared edition, with what their copy of the message carries. */
export interface MessageRecipient {
  readonly subscriberId: string;
  readonly email: string;
  readonly name?: string;
  readonly deliveryId: string;
  readonly now: Date;
}

/** An edition made ready to send: compiled once, then built per recipient in microseconds. */
export interface PreparedEdition {
  readonly editionId: string;
  readonly listId: string;
  /** The cadences the edition goes to; a member who switched cadence since planning is skipped. */
  readonly cadences: readonly string[];
  /** Envelope sender (bare address). */
  readonly from: string;
  /** The finished MIME for one recipient. */
  build(recipient: MessageRecipient): RawMessage;
}

/** Loads and prepares an edition (stored compiled message → per-recipient fast path). */
export type PrepareEdition = (editionId: string) => Promise<PreparedEdition>;
