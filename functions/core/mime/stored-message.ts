// The compiled message as JSON, so the plan step can store it with the edition and the send step can use
// it without compiling (no MailComposer in the send bundle). Static runs are 7-bit text (encoded headers,
// quoted-printable bodies), stored as they are, so the round trip is exact.
import { InvalidInputError } from '../errors.ts';
import type { Greetings, SlotName } from '../render/slots.ts';
import { type CompiledMessage, type HeaderSlot, isSevenBit, type Piece } from './build-message.ts';

/** A static run of bytes (latin1) or the name of a slot. */
export type StoredPiece = { readonly bytes: string } | { readonly slot: string };

/** CompiledMessage in JSON form (version 1). */
export interface StoredCompiledMessage {
  readonly version: 1;
  readonly editionId: string;
  readonly head: readonly StoredPiece[];
  readonly text: readonly StoredPiece[];
  readonly middle: string;
  readonly html: readonly StoredPiece[];
  readonly tail: string;
  readonly mailto?: string;
  /** The greeting in the edition's language; absent in editions stored before it travelled (English). */
  readonly greetings?: Greetings;
}

const HEADER_SLOTS: ReadonlySet<string> = new Set<HeaderSlot>(['to', 'date', 'messageId', 'listUnsubscribe']);
const BODY_SLOTS: ReadonlySet<string> = new Set<SlotName>([
  'greeting',
  'email',
  'unsubscribeUrl',
  'preferencesUrl',
]);

/** The JSON form of a compiled message, to store with the edition. */
export function toStoredMessage(compiled: CompiledMessage): StoredCompiledMessage {
  const piece = (p: Piece<string>): StoredPiece => (typeof p === 'string' ? { bytes: p } : { slot: p.slot });
  return {
    version: 1,
    editionId: compiled.editionId,
    head: compiled.head.map(piece),
    text: compiled.text.map(piece),
    middle: compiled.middle,
    html: compiled.html.map(piece),
    tail: compiled.tail,
    ...(compiled.mailto ? { mailto: compiled.mailto } : {}),
    ...(compiled.greetings ? { greetings: compiled.greetings } : {}),
  };
}

/**
 * The compiled message back from its JSON form. A slot name that is not one of the known ones (a store
 * written by another version) is refused with an InvalidInputError rather than sent with a hole.
 */
export function fromStoredMessage(stored: StoredCompiledMessage): CompiledMessage {
  if (stored.version !== 1) {
    throw new InvalidInputError(
      'COMPILED_MESSAGE_VERSION',
      `edition ${stored.editionId}: stored message version ${String(stored.version)} is not 1; plan it again`,
    );
  }
  const pieces = <T extends string>(list: readonly StoredPiece[], slots: ReadonlySet<string>) =>
    list.map((p): Piece<T> => {
      if ('bytes' in p) {
        if (!isSevenBit(p.bytes)) {
          throw new InvalidInputError(
            'MESSAGE_NOT_7BIT',
            `edition ${stored.editionId}: the stored message holds text that is not 7-bit; plan it again`,
          );
        }
        return p.bytes;
      }
      if (!slots.has(p.slot)) {
        throw new InvalidInputError(
          'COMPILED_MESSAGE_SLOT',
          `edition ${stored.editionId}: unknown slot "${p.slot}" in the stored message; plan it again`,
        );
      }
      return { slot: p.slot as T };
    });
  return {
    editionId: stored.editionId,
    head: pieces<HeaderSlot>(stored.head, HEADER_SLOTS),
    text: pieces<SlotName>(stored.text, BODY_SLOTS),
    middle: stored.middle,
    html: pieces<SlotName>(stored.html, BODY_SLOTS),
    tail: stored.tail,
    ...(stored.mailto ? { mailto: stored.mailto } : {}),
    ...(stored.greetings ? { greetings: stored.greetings } : {}),
  };
}
