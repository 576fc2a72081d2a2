import { describe, expect, it } from 'vitest';
import { countOf } from '../../../functions/cli/delivery-ui.ts';

describe('countOf', () => {
  it('says "1 recipient", "2 recipients", "0 recipients" and "? recipients" when the count is unknown', () => {
    // Act + Assess
    expect([1, 2, 0, undefined].map((n) => countOf(n, 'recipient'))).toEqual([
      '1 recipient',
      '2 recipients',
      '0 recipients',
      '? recipients',
    ]);
  });

  it('takes an irregular plural', () => {
    expect([1, 3].map((n) => countOf(n, 'suppressed address', 'suppressed addresses'))).toEqual([
      '1 suppressed address',
      '3 suppressed addresses',
    ]);
  });
});
