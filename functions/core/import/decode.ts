// The bytes of a subscriber export as text, whatever encoding the tool that wrote it chose: Excel on
// Windows saves CSV as Windows-1252 ("Save as CSV") or UTF-16 ("Unicode text"), most others as UTF-8.
import { analyse } from 'chardet';
import iconv from 'iconv-lite';

/** How much of the file the encoding is guessed from. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

/** The encodings an export is read in: UTF-8, UTF-16 (either byte order) or a single-byte code page. */
export type ImportEncoding = 'utf8' | 'utf16le' | 'utf16be' | string;

/**
 * The encoding of an export, from its first bytes: a byte-order mark decides; then NUL bytes in every
 * other position mean UTF-16 without a mark; text that is valid UTF-8 is UTF-8; anything else is what
 * chardet finds most likely among single-byte code pages, where ISO-8859-1 is read as its superset
 * Windows-1252 (the curly quotes and the euro sign of Excel exports).
 *
 * @example
 * detectEncoding(Buffer.from('email,name\nzoe@example.org,Zoë\n', 'latin1')) // 'windows-1252'
 */
export function detectEncoding(sample: Uint8Array): ImportEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenNul++;
    if (sample[2 * i + 1] === 0) oddNul++;
  }
  if (pairs > 0 && oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf16le';
  if (pairs > 0 && evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf16be';
  if (isUtf8(sample)) return 'utf8';
  const guess = analyse(sample).find((m) => m.lang !== undefined || !/^UTF/i.test(m.name))?.name;
  if (!guess || /^ISO-8859-1$/i.test(guess) || !iconv.encodingExists(guess)) return 'windows-1252';
  return guess.toLowerCase();
}

/**
 * The export's chunks of bytes as text in its encoding (detected from the first chunk, or the first
 * ENCODING_SAMPLE_BYTES), without the byte-order mark. A character split across two chunks is joined.
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<string, void, undefined> {
  let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const start = function* (): Generator<string> {
    const sample = Buffer.concat(pending);
    decoder = iconv.getDecoder(detectEncoding(sample.subarray(0, ENCODING_SAMPLE_BYTES)), {
      stripBOM: true,
    });
    pending = [];
    const text = decoder.write(sample);
    if (text) yield text;
  };
  for await (const chunk of chunks) {
    if (decoder) {
      const text = decoder.write(Buffer.from(chunk));
      if (text) yield text;
      continue;
    }
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= ENCODING_SAMPLE_BYTES) yield* start();
  }
  if (!decoder) yield* start();
  const rest = decoder?.end();
  if (rest) yield rest;
}

/** Whether the bytes are UTF-8, allowing a character cut off at the end of the sample. */
function isUtf8(sample: Uint8Array): boolean {
  let end = sample.length;
  // Step back over an incomplete last character (at most 3 bytes).
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = sample[end - k] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > k) end -= k;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}
