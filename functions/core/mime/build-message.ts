// The per-recipient hot path of the send Lambda, split from compile-message.ts so that the send bundle
// holds no MailComposer: the edition is compiled once at plan time (compile-message.ts, in the plan
// bundle), stored as JSON with the edition (stored-message.ts), and each recipient costs a few short slot
// values encoded and spliced between prepared bytes. Only nodemailer's small encoders are imported here
// (mime-funcs and qp: 3.4 KB minified), not its composer.
import { encodeWord, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { InvalidInputError } from '../errors.ts';
import { escapeHtml, greetingFor, type SlotName, stripControl } from '../render/slots.ts';

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

export interface RecipientLinks {
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
}

export interface MessageMeta {
  /** With or without the angle brackets, e.g. `ed1.s_42@signal-noise.example.com`. */
  readonly messageId: string;
  readonly date: Date;
}

/** A static run of bytes or a per-recipient slot. */
export type Piece = Buffer | SlotName;
/** A per-recipient header. */
export type HeaderSlot = 'to' | 'date' | 'messageId' | 'listUnsubscribe';

/** An edition's message prepared once: static bytes with holes for the per-recipient values. */
export interface CompiledMessage {
  readonly editionId: string;
  /** Header block, split around the per-recipient headers. */
  readonly head: readonly (Buffer | HeaderSlot)[];
  /** The text/plain body (quoted-printable), split around the slots. */
  readonly text: readonly Piece[];
  /** Between the text body and the html body: the boundary and the html part's headers. */
  readonly middle: Buffer;
  /** The text/html body (quoted-printable), split around the slots. */
  readonly html: readonly Piece[];
  /** The closing boundary. */
  readonly tail: Buffer;
  readonly mailto?: string;
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
const HEADER_SAFE_URL_RE = /^https:\/\/[\x21-\x7e]+$/;
const MESSAGE_ID_RE = /^[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+$/;

/**
 * Builds one recipient's raw RFC 5322 message from a compiled edition. Names lose their control
 * characters and are quoted or RFC 2047-encoded; addresses, URLs and message ids that could break a header
 * are refused with an InvalidInputError, so header injection is impossible.
 */
export function buildMessage(
  compiled: CompiledMessage,
  recipient: Recipient,
  links: RecipientLinks,
  meta: MessageMeta,
): Buffer {
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
  const headers: Record<HeaderSlot, string> = {
    to: `${foldLines(`To: ${formatAddress(name, recipient.email)}`, 76)}${CRLF}`,
    date: `Date: ${meta.date.toUTCString().replace(/GMT/, '+0000')}${CRLF}`,
    messageId: `Message-ID: <${messageId}>${CRLF}`,
    // One line, never folded: folding List-Unsubscribe broke DKIM on some receivers (nodemailer#1654).
    listUnsubscribe: `List-Unsubscribe: <${links.unsubscribeUrl}>${
      compiled.mailto ? `, <mailto:${compiled.mailto}?subject=unsubscribe>` : ''
    }${CRLF}`,
  };
  const textValues: Record<SlotName, string> = {
    greeting: greetingFor(name),
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

  // Measure, then write once into one buffer: copying the static bytes is the bulk of the cost per message.
  const headStrings = compiled.head.map((piece) => (typeof piece === 'string' ? headers[piece] : piece));
  const textStrings = encodeSlots(compiled.text, textValues);
  const htmlStrings = encodeSlots(compiled.html, htmlValues);
  let length = compiled.middle.length + compiled.tail.length;
  for (const part of [headStrings, textStrings, htmlStrings]) {
    for (const piece of part) length += piece.length;
  }
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  const put = (piece: Buffer | string) => {
    // Header values and quoted-printable output are ASCII, so one char is one byte.
    offset += typeof piece === 'string' ? out.write(piece, offset, 'latin1') : piece.copy(out, offset);
  };
  for (const piece of headStrings) put(piece);
  for (const piece of textStrings) put(piece);
  put(compiled.middle);
  for (const piece of htmlStrings) put(piece);
  put(compiled.tail);
  return out;
}

function encodeSlots(
  pieces: readonly Piece[],
  values: Readonly<Record<SlotName, string>>,
): (Buffer | string)[] {
  return pieces.map((piece) => (typeof piece === 'string' ? `${encodeQp(values[piece])}=${CRLF}` : piece));
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

function formatAddress(name: string, address: string): string {
  return name ? `${phrase(name)} <${address}>` : address;
}

/** A display name as an RFC 5322 phrase: quoted when plain ASCII, RFC 2047-encoded otherwise. */
export function phrase(value: string): string {
  const clean = stripControl(value).trim();
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/["\\]/g, '\\$&')}"`;
  return encodeWord(clean, 'Q', 52);
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
      `${what} must be an https URL without spaces, commas or angle brackets`,
    );
  }
}
