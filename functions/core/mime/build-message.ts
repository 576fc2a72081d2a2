// The per-recipient hot path of the send Lambda, split from compile-message.ts so that the send bundle
// holds no MailComposer: the edition is compiled once at plan time (compile-message.ts, in the plan
// bundle), stored as JSON with the edition (stored-message.ts), and each recipient costs a few short slot
// values encoded and spliced between prepared runs of text. Only nodemailer's small encoders are imported
// here (mime-funcs and qp: 3.4 KB minified), not its composer.
//
// The message is 7-bit text from end to end (RFC 2047 headers, quoted-printable bodies), so it is built
// as a JS string, one char per byte, not a Buffer. Measured with the render bench's CPU profile: a fresh
// 40 KB Buffer per recipient cost more than everything else together (malloc and first-touch page faults
// in createUnsafeBuffer and _copyActual), while a joined string lands in V8's young generation and is
// copied once. Transports turn it into bytes (toRawBytes) only when they must.
import { foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { InvalidInputError } from '../errors.ts';
import { escapeHtml, type Greetings, greetingFor, type SlotName, stripControl } from '../render/slots.ts';
import type { RecipientLinks } from '../tokens/links.ts';
import { listUnsubscribeValue, phrase } from './list-headers.ts';

/** Who sends an edition and which list it belongs to. */
export interface Envelope {
  readonly from: { readonly name: string; readonly address: string };
  readonly replyTo?: string;
  /** The list id, e.g. `podcast`; List-Id becomes `"List Name" <podcast.domain>`. */
  readonly listId: string;
  readonly listName: string;
  /** The sending domain. */
  readonly domain: string;
  /** The mailto: half of List-Unsubscribe. */
  readonly unsubscribeMailto?: string;
}

export interface Recipient {
  readonly email: string;
  readonly name?: string;
  readonly subscriberId: string;
}

export type { RecipientLinks } from '../tokens/links.ts';

export interface MessageMeta {
  /** With or without the angle brackets, e.g. `ed1.s_42@signal-noise.example.com`. */
  readonly messageId: string;
  readonly date: Date;
}

/** A per-recipient header. */
export type HeaderSlot = 'to' | 'date' | 'messageId' | 'listUnsubscribe';
/** A static run of encoded 7-bit text, or a per-recipient slot. */
export type Piece<S extends string = SlotName> = string | { readonly slot: S };

/**
 * A finished RFC 5322 message as 7-bit text, one char per byte (what buildMessage returns), or its bytes.
 * toRawBytes() gives the bytes of either.
 */
export type RawMessage = string | Uint8Array;

/** Whether every char of `text` is 7-bit (below U+0080), so it is its own bytes. */
export function isSevenBit(text: string): boolean {
  return !/[\u0080-\uffff]/.test(text);
}

/**
 * A copy of 7-bit `text` as one flat run. Text built by concatenation is a rope in V8, and joining a rope
 * walks it again on every join: static pieces flattened once took the render bench's splice from 17,588 to
 * 46,295 msg/s (2.6×; one `-- render` run each, same machine).
 */
export function flatText(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** The bytes of a raw message; a string is taken one char per byte (it is 7-bit text). */
export function toRawBytes(raw: RawMessage): Uint8Array {
  return typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
}

/** An edition's message prepared once: static encoded text with holes for the per-recipient values. */
export interface CompiledMessage {
  readonly editionId: string;
  /** Header block, split around the per-recipient headers. */
  readonly head: readonly Piece<HeaderSlot>[];
  /** The text/plain body (quoted-printable), split around the slots. */
  readonly text: readonly Piece[];
  /** Between the text body and the html body: the boundary and the html part's headers. */
  readonly middle: string;
  /** The text/html body (quoted-printable), split around the slots. */
  readonly html: readonly Piece[];
  /** The closing boundary. */
  readonly tail: string;
  readonly mailto?: string;
  /** The greeting slot's words in the edition's language (default: English). */
  readonly greetings?: Greetings;
}

export const CRLF = '\r\n';
// A soft line break: invisible after quoted-printable decoding, it lets every slot value start on a line
// of its own, so static bytes and slot values are encoded independently and still form one valid body.
// One less than RFC 2045's 76, to leave room for the soft break that follows a piece.
export const QP_LINE = 75;
// A dot-atom address (RFC 5322 atext): nothing that could close a header or open another one.
const ADDRESS_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
// Printable ASCII that quoted-printable leaves alone (spaces only inside, never at the end).
const PLAIN_QP_RE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// https, or plain http on the loopback address only: `tidings dev` serves its pages on 127.0.0.1 and
// mails nobody outside this machine (RFC 8058's one-click URL is HTTPS everywhere else).
const HEADER_SAFE_URL_RE = /^(?:https:\/\/|http:\/\/127\.0\.0\.1(?::\d{1,5})?\/)[\x21-\x7e]+$/;
const MESSAGE_ID_RE = /^[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/;

/**
 * Builds one recipient's raw RFC 5322 message from a compiled edition, as 7-bit text (one char per
 * byte). Names lose their control characters and are quoted or RFC 2047-encoded; addresses, URLs and
 * message ids that could break a header are refused with an InvalidInputError, so header injection is
 * impossible.
 */
export function buildMessage(
  compiled: CompiledMessage,
  recipient: Recipient,
  links: RecipientLinks,
  meta: MessageMeta,
): string {
  assertAddress(recipient.email, 'recipient address');
  assertHeaderUrl(links.unsubscribeUrl, 'unsubscribe URL');
  assertHeaderUrl(links.preferencesUrl, 'preferences URL');
  const messageId = meta.messageId.replace(/^<|>$/g, '');
  if (!MESSAGE_ID_RE.test(messageId)) {
    throw new InvalidInputError(
      'MESSAGE_ID_INVALID',
      `message id "${stripControl(messageId)}" is not id-left@id-right`,
    );
  }
  if (Number.isNaN(meta.date.getTime()))
    throw new InvalidInputError('DATE_INVALID', 'message date is not a valid date');

  const name = recipient.name ? stripControl(recipient.name).trim() : '';
  const to = `To: ${formatAddress(name, recipient.email)}`;
  const headers: Record<HeaderSlot, string> = {
    to: `${to.length <= 76 ? to : foldLines(to, 76)}${CRLF}`,
    date: dateHeader(meta.date),
    messageId: `Message-ID: <${messageId}>${CRLF}`,
    // One line, never folded: folding List-Unsubscribe broke DKIM on some receivers (nodemailer#1654).
    listUnsubscribe: `List-Unsubscribe: ${listUnsubscribeValue(links.unsubscribeUrl, compiled.mailto)}${CRLF}`,
  };
  const textValues: Record<SlotName, string> = {
    greeting: greetingFor(name, compiled.greetings),
    email: recipient.email,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: links.preferencesUrl,
  };
  const htmlValues: Record<SlotName, string> = {
    greeting: escapeHtml(textValues.greeting),
    email: escapeHtml(recipient.email),
    unsubscribeUrl: escapeHtml(links.unsubscribeUrl),
    preferencesUrl: escapeHtml(links.preferencesUrl),
  };

  // One join: V8 measures the pieces and copies each once into a flat one-byte string.
  const parts: string[] = [];
  for (const piece of compiled.head) parts.push(typeof piece === 'string' ? piece : headers[piece.slot]);
  pushSlots(parts, compiled.text, textValues);
  parts.push(compiled.middle);
  pushSlots(parts, compiled.html, htmlValues);
  parts.push(compiled.tail);
  return parts.join('');
}

function pushSlots(
  parts: string[],
  pieces: readonly Piece[],
  values: Readonly<Record<SlotName, string>>,
): void {
  for (const piece of pieces) {
    parts.push(typeof piece === 'string' ? piece : `${encodeQp(values[piece.slot])}=${CRLF}`);
  }
}

/** Quoted-printable for one piece, lines ≤ 75 so a soft break fits after it. */
export function encodeQp(value: string): string {
  // Slot values are mostly URLs and addresses: printable ASCII where only "=" needs encoding. Those skip
  // the general encoder; anything else (names with accents, emoji) goes through nodemailer's.
  if (PLAIN_QP_RE.test(value)) {
    const escaped = value.includes('=') ? value.replaceAll('=', '=3D') : value;
    return escaped.length <= QP_LINE ? escaped : wrapPlainQp(escaped);
  }
  return qpWrap(qpEncode(value.replace(/\r?\n/g, CRLF)), QP_LINE);
}

/**
 * Soft-wraps printable ASCII whose only escapes are "=3D" at QP_LINE characters, never inside an escape.
 * Hand-written because nodemailer's general `wrap` was the largest single cost per recipient in the
 * render bench's CPU profile (every signed link is longer than a line); the output is the same
 * quoted-printable, and the MIME tests parse it back with mailparser against the naive path.
 */
export function wrapPlainQp(escaped: string): string {
  const lines: string[] = [];
  let start = 0;
  while (escaped.length - start > QP_LINE) {
    let end = start + QP_LINE;
    // Never end a line inside "=3D": back up to before the "=".
    if (escaped[end - 1] === '=') end -= 1;
    else if (escaped[end - 2] === '=') end -= 2;
    lines.push(escaped.slice(start, end));
    start = end;
  }
  lines.push(escaped.slice(start));
  return lines.join(`=${CRLF}`);
}

// The Date header of the last second seen: a batch sends many messages in the same second, and
// toUTCString cost about 1 µs a message.
let lastDate = { seconds: Number.NaN, header: '' };

function dateHeader(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  if (seconds !== lastDate.seconds) {
    lastDate = { seconds, header: `Date: ${date.toUTCString().replace(/GMT/, '+0000')}${CRLF}` };
  }
  return lastDate.header;
}

function formatAddress(name: string, address: string): string {
  return name ? `${phrase(name)} <${address}>` : address;
}

export function assertAddress(address: string, what: string): void {
  if (!ADDRESS_RE.test(address) || address.length > 254) {
    throw new InvalidInputError(
      'ADDRESS_INVALID',
      `${what} "${stripControl(address)}" is not a plain email address`,
    );
  }
}

function assertHeaderUrl(url: string, what: string): void {
  if (!HEADER_SAFE_URL_RE.test(url) || /[<>,]/.test(url) || url.length > 900) {
    throw new InvalidInputError(
      'URL_INVALID',
      `${what} must be an https URL (or http://127.0.0.1) without spaces, commas or angle brackets`,
    );
  }
}
