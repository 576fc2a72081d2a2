import { describe, expect, it } from 'vitest';
import { addressSubject } from '../../../../functions/core/rate-limit/address-subject.ts';

describe('addressSubject', () => {
  it('counts the +tag, case and Gmail-dot spellings of one inbox as one subject', () => {
    // Act + Assess
    expect(addressSubject('ada+news@example.org')).toBe('email:ada@example.org');
    expect(addressSubject('ADA@Example.ORG')).toBe('email:ada@example.org');
    expect(addressSubject('a.d.a+x@googlemail.com')).toBe('email:ada@gmail.com');
  });

  it('keeps apart inboxes that differ: dots outside Gmail, and a leading +', () => {
    // Act + Assess
    expect(addressSubject('a.da@example.org')).not.toBe(addressSubject('ada@example.org'));
    expect(addressSubject('+ada@example.org')).toBe('email:+ada@example.org');
  });
});
