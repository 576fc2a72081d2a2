// Once per edition, at plan time: nodemailer's MailComposer builds the headers and the structure, and each
// body is encoded to quoted-printable once, in pieces around the slots. The per-recipient splice is in
// build-message.ts (the send bundle imports only that one, and the stored form from stored-message.ts).
import MailComposer from 'nodemailer/lib/mail-composer';
import { InvalidInputError } from '../errors.ts';
import type { RenderedEdition } from '../render/render-edition.ts';
import { LITERAL_SLOTS, type SlotName, STORED_SLOT_RE, stripControl } from '../render/slots.ts';
import {
  assertAddress,
  type CompiledMessage,
  CRLF,
  type Envelope,
  encodeQp,
  flatText,
  type HeaderSlot,
  isSevenBit,
  type Piece,
} from './build-message.ts';
import { listHeaders } from './list-headers.ts';

export {
  buildMessage,
  type CompiledMessage,
  type Envelope,
  type MessageMeta,
  type RawMessage,
  type Recipient,
  type RecipientLinks,
  toRawBytes,
} from './build-message.ts';

/**
 * Prepares an edition's message once. nodemailer's MailComposer builds the real headers (From with its
 * display name quoted or RFC 2047-encoded, Reply-To, Subject, List-Id, List-Unsubscribe-Post, the
 * multipart/alternative structure); each body is encoded to quoted-printable once, in pieces around the
 * slots.
 *
 * @example
 * const compiled = compileMessage(edition, { from, listId: 'podcast', listName: 'The podcast', domain });
 * const raw = buildMessage(compiled, recipient, links, { messageId, date });
 */
export function compileMessage(rendered: RenderedEdition, envelope: Envelope): CompiledMessage {
  assertAddress(envelope.from.address, 'from address');
  if (envelope.replyTo) assertAddress(envelope.replyTo, 'reply-to address');
  if (envelope.unsubscribeMailto) assertAddress(envelope.unsubscribeMailto, 'unsubscribe mailto');
  if (!/^[a-z0-9.-]+$/i.test(`${envelope.listId}.${envelope.domain}`)) {
    throw new InvalidInputError(
      'LIST_ID_INVALID',
      `List-Id "${envelope.listId}.${envelope.domain}" is not a valid dot-atom`,
    );
  }
  const root = new MailComposer({
    from: { name: stripControl(envelope.from.name).trim(), address: envelope.from.address },
    ...(envelope.replyTo ? { replyTo: envelope.replyTo } : {}),
    to: 'recipient@slot.invalid',
    subject: stripControl(rendered.subject).trim(),
    date: new Date(0),
    messageId: '<message-id@slot.invalid>',
    // buildMessage writes each recipient's List-Unsubscribe in place of the placeholder.
    headers: listHeaders(envelope, '<list-unsubscribe@slot.invalid>'),
    text: {
      content: 'x',
      contentType: 'text/plain; charset=utf-8',
      contentTransferEncoding: 'quoted-printable',
    },
    html: {
      content: 'x',
      contentType: 'text/html; charset=utf-8',
      contentTransferEncoding: 'quoted-printable',
    },
  }).compile();

  const rootHeaders = root.buildHeaders();
  const [textNode, htmlNode] = root.childNodes;
  if (!textNode || !htmlNode || typeof root.boundary !== 'string') {
    throw new InvalidInputError(
      'MIME_STRUCTURE',
      'MailComposer did not build a multipart/alternative message',
    );
  }
  // Hand-written assembly of the parts, in the exact layout of nodemailer's MimeNode#stream (headers, blank
  // line, `--boundary` before each child, the closing `--boundary--`), replacing a MailComposer build per
  // recipient. test/bench/render.bench.ts measured the splice at 96x the naive path (Handlebars +
  // MailComposer per recipient), 56x with the two link tokens signed, on the largest example (40 KB
  // messages, CPU time on a shared 2-core machine).
  const boundary = root.boundary;
  return {
    editionId: rendered.editionId,
    head: splitHeaders(
      `${rootHeaders}${CRLF}${CRLF}--${boundary}${CRLF}${textNode.buildHeaders()}${CRLF}${CRLF}`,
    ),
    text: encodePieces(rendered.text),
    middle: flatText(sevenBit(`${CRLF}--${boundary}${CRLF}${htmlNode.buildHeaders()}${CRLF}${CRLF}`)),
    html: encodePieces(rendered.html),
    tail: `${CRLF}--${boundary}--${CRLF}`,
    ...(envelope.unsubscribeMailto ? { mailto: envelope.unsubscribeMailto } : {}),
    ...(rendered.greetings ? { greetings: rendered.greetings } : {}),
  };
}

/** Splits a stored template around its slots and encodes each static piece once, ending in a soft break. */
function encodePieces(template: string): Piece[] {
  const pieces: Piece[] = [];
  let staticText = '';
  let last = 0;
  const flush = () => {
    pieces.push(flatText(`${encodeQp(staticText)}=${CRLF}`));
    staticText = '';
  };
  for (const match of template.matchAll(STORED_SLOT_RE)) {
    const name = match[1] as SlotName | 'lb' | 'bs';
    staticText += template.slice(last, match.index);
    last = match.index + match[0].length;
    if (name === 'lb' || name === 'bs') {
      staticText += LITERAL_SLOTS[name];
      continue;
    }
    flush();
    pieces.push({ slot: name });
  }
  staticText += template.slice(last);
  // The body's last line carries no soft break: it must end the part as written.
  pieces.push(flatText(encodeQp(staticText)));
  return pieces;
}

/**
 * The headers MailComposer wrote, checked to be 7-bit: buildMessage joins them as text, one char per
 * byte. The composer encodes every non-ASCII header (RFC 2047), so this never fires unless that changes.
 */
function sevenBit(block: string): string {
  if (!isSevenBit(block))
    throw new InvalidInputError('MESSAGE_NOT_7BIT', 'the composed message headers are not 7-bit ASCII');
  return block;
}

/** Splits the header block at the per-recipient headers (the composer wrote placeholders for them). */
function splitHeaders(block: string): Piece<HeaderSlot>[] {
  sevenBit(block);
  const slots: Record<string, HeaderSlot> = {
    to: 'to',
    date: 'date',
    'message-id': 'messageId',
    'list-unsubscribe': 'listUnsubscribe',
  };
  const out: Piece<HeaderSlot>[] = [];
  let pending = '';
  // A folded header continues on lines that start with white space; keep each header whole.
  const fields = block.split(/\r\n(?![ \t])/);
  fields.forEach((field, i) => {
    const isLast = i === fields.length - 1;
    const key = /^([A-Za-z-]+):/.exec(field)?.[1]?.toLowerCase();
    const slot = key ? slots[key] : undefined;
    if (slot) {
      if (pending) out.push(flatText(pending));
      pending = '';
      out.push({ slot });
    } else {
      pending += isLast ? field : `${field}${CRLF}`;
    }
  });
  if (pending) out.push(flatText(pending));
  return out;
}
