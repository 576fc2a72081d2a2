// The list headers of every list email, in one place: an edition (compile-message.ts at plan time, the
// List-Unsubscribe slot in build-message.ts per recipient) and the journey's welcome email
// (use-cases/journey-mail.ts) write them with these functions, so a list's mail carries one form of them.
// A leaf module (nodemailer's small encoders only): the send bundle imports it through build-message.ts.
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { stripControl } from '../render/slots.ts';

/** The list a message belongs to, as its List-Id names it. */
export interface ListIdentity {
  /** The list id, e.g. `podcast`. */
  readonly listId: string;
  readonly listName: string;
  /** The sending domain. */
  readonly domain: string;
}

/** A header as nodemailer's MailComposer takes it; `prepared` values are written as they are, never folded. */
export type ComposerHeader = string | { readonly prepared: true; readonly value: string };

/**
 * A display name as an RFC 5322 phrase: quoted when plain ASCII, RFC 2047-encoded otherwise. Control
 * characters become spaces, so the phrase stays on its header line.
 *
 * @example
 * phrase('Signal & Noise: the podcast'); // '"Signal & Noise: the podcast"'
 */
export function phrase(value: string): string {
  const clean = stripControl(value).trim();
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/["\\]/g, '\\$&')}"`;
  return encodeWord(clean, 'Q', 52);
}

/**
 * The List-Id value (RFC 2919): the list's name as a phrase and `<listId.domain>`.
 *
 * @example
 * listIdValue({ listId: 'podcast', listName: 'The podcast', domain: 'example.com' });
 * // '"The podcast" <podcast.example.com>'
 */
export function listIdValue(list: ListIdentity): string {
  return `${phrase(list.listName)} <${list.listId}.${list.domain}>`;
}

/**
 * The List-Unsubscribe value (RFC 2369): the one-click HTTPS URL first, then the mailto: when the sender
 * has one. Callers check the URL and the address; this only writes them.
 *
 * @example
 * listUnsubscribeValue('https://example.com/unsubscribe?token=t', 'unsubscribe@example.com');
 * // '<https://example.com/unsubscribe?token=t>, <mailto:unsubscribe@example.com?subject=unsubscribe>'
 */
export function listUnsubscribeValue(unsubscribeUrl: string, mailto?: string): string {
  return `<${unsubscribeUrl}>${mailto ? `, <mailto:${mailto}?subject=unsubscribe>` : ''}`;
}

/**
 * List-Id, List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click), in that order, as MailComposer
 * headers. List-Id and List-Unsubscribe are prepared, so each stays on one line: a folded
 * List-Unsubscribe broke DKIM on some receivers (nodemailer#1654).
 *
 * @param listUnsubscribe the whole List-Unsubscribe value (listUnsubscribeValue), or a placeholder that
 *   buildMessage replaces per recipient
 */
export function listHeaders(
  list: ListIdentity,
  listUnsubscribe: string,
): Record<'List-Id' | 'List-Unsubscribe' | 'List-Unsubscribe-Post', ComposerHeader> {
  return {
    'List-Id': { prepared: true, value: listIdValue(list) },
    'List-Unsubscribe': { prepared: true, value: listUnsubscribe },
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
