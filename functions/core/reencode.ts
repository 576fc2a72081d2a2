// One reused buffer for the re-encodings on the send path: a token's claims (utf8 → base64url, twice per
// recipient) and a message's text (latin1 → base64, once per send). A fresh Buffer per call cost more than
// the encoding itself in the render bench's profile. Each call writes and reads it synchronously, so no
// two calls ever share it.
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * `text`'s bytes in encoding `from`, as a `to` string, through the reused buffer.
 *
 * @example
 * reencode('["unsubscribe","s_1"]', 'utf8', 'base64url') // 'WyJ1bnN1YnNjcmliZSIsInNfMSJd'
 */
export function reencode(text: string, from: 'utf8' | 'latin1', to: 'base64' | 'base64url'): string {
  const most = from === 'utf8' ? text.length * 3 : text.length;
  if (scratch.length < most) scratch = Buffer.allocUnsafeSlow(most * 2);
  const n = scratch.write(text, 0, from);
  return scratch.toString(to, 0, n);
}
