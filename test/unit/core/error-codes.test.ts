import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../functions/core/error-codes.ts';

describe('the error code registry', () => {
  it('is documented in docs/errors.md, code for code, with the same meaning', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(Object.entries(ERROR_CODES));
  });

  it('has one code per meaning: no two codes name the same thing in other words', () => {
    const codes = Object.keys(ERROR_CODES);
    // The synonyms folded into one code each: these must not come back.
    for (const folded of [
      'UNKNOWN_LIST',
      'LIST_NOT_FOUND',
      'INVALID_EMAIL',
      'INVALID_URL',
      'BAD_OPTION',
      'BAD_CURSOR',
    ])
      expect(codes).not.toContain(folded);
    expect(new Set(Object.values(ERROR_CODES)).size).toBe(codes.length);
  });
});
