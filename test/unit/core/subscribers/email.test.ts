import { describe, expect, it } from 'vitest';
import { checkEmail, emailKey, normalizeEmail } from '../../../../functions/core/subscribers/index.ts';

describe('checkEmail', () => {
  it('trims, strips mailto: and angle brackets, lowercases the domain and keeps the local part', () => {
    expect(checkEmail('  Ada.Lovelace@Example.COM ')).toEqual({
      ok: true,
      email: 'Ada.Lovelace@example.com',
    });
    expect(normalizeEmail('mailto:bob@EXAMPLE.org')).toBe('bob@example.org');
    expect(normalizeEmail('<carol@example.net>')).toBe('carol@example.net');
  });

  it('turns an internationalized domain into punycode', () => {
    expect(normalizeEmail('jose@Bücher.example')).toBe('jose@xn--bcher-kva.example');
  });

  it('refuses what cannot be delivered, saying why', () => {
    expect(checkEmail('')).toMatchObject({ ok: false, problem: 'empty' });
    expect(checkEmail('no-at-sign.example.com')).toMatchObject({ ok: false, problem: 'missing-at' });
    expect(checkEmail('two..dots@example.com')).toMatchObject({ ok: false, problem: 'bad-local-part' });
    expect(checkEmail('a b@example.com')).toMatchObject({ ok: false, problem: 'bad-local-part' });
    expect(checkEmail('ada@localhost')).toMatchObject({ ok: false, problem: 'bad-domain' });
    expect(checkEmail('ada@-bad-.example.com')).toMatchObject({ ok: false, problem: 'bad-domain' });
    expect(checkEmail('ada@example.c0m')).toMatchObject({ ok: false, problem: 'bad-domain' });
    expect(checkEmail(`${'a'.repeat(65)}@example.com`)).toMatchObject({
      ok: false,
      problem: 'bad-local-part',
    });
  });

  it('accepts plus addressing and the usual special characters', () => {
    expect(normalizeEmail("o'brien+news@example.ie")).toBe("o'brien+news@example.ie");
  });
});

describe('emailKey', () => {
  it('makes one key for one inbox whatever the case', () => {
    expect(emailKey('Ada@example.com')).toBe(emailKey('ada@example.com'));
  });
});
