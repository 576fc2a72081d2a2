import { describe, expect, it } from 'vitest';
import { reencode } from '../../../functions/core/reencode.ts';

describe('reencode', () => {
  it('gives what a fresh Buffer gives, for a long text after which a short one leaves no tail', () => {
    const long = `Zoë 🎧 שלום ${'x'.repeat(200_000)}`;
    const short = '["unsubscribe","s_1"]';
    expect(reencode(long, 'utf8', 'base64url')).toBe(Buffer.from(long, 'utf8').toString('base64url'));
    expect(reencode(short, 'utf8', 'base64url')).toBe(Buffer.from(short, 'utf8').toString('base64url'));
    const text = `Subject: hi\r\n\r\n${'=3D'.repeat(30_000)}`;
    expect(reencode(text, 'latin1', 'base64')).toBe(Buffer.from(text, 'latin1').toString('base64'));
  });
});
