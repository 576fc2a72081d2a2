import { describe, expect, it } from 'vitest';
import { QP_LINE, wrapPlainQp } from '../../../../functions/core/mime/build-message.ts';

/** Quoted-printable decoding for this alphabet (RFC 2045 §6.7): drop soft breaks, then undo "=3D". */
const decode = (qp: string) => qp.replaceAll('=\r\n', '').replaceAll('=3D', '=');

describe('wrapPlainQp', () => {
  it('wraps signed links into lines of at most 75 characters that decode back to the exact link', () => {
    // A seeded walk over printable ASCII with many "=" (the only escaped character), at every length.
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 3_000; n++) {
      let value = '';
      const length = 60 + Math.floor(next() * 300);
      for (let i = 0; i < length; i++) {
        value += next() < 0.08 ? '=' : String.fromCharCode(0x21 + Math.floor(next() * 94));
      }
      const wrapped = wrapPlainQp(value.replaceAll('=', '=3D'));
      for (const line of wrapped.split('=\r\n')) expect(line.length).toBeLessThanOrEqual(QP_LINE);
      expect(decode(wrapped)).toBe(value);
    }
  });

  it('never breaks a line inside an =3D escape', () => {
    const value = `${'a'.repeat(73)}=3D${'b'.repeat(80)}`;
    const lines = wrapPlainQp(value).split('=\r\n');
    expect(lines[0]).toBe('a'.repeat(73));
    expect(lines[1]?.startsWith('=3D')).toBe(true);
  });
});
