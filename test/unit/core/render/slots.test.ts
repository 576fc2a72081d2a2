import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../../functions/core/render/slots.ts';

describe('escapeHtml', () => {
  it.each([
    ['a signed link', 'https://news.example.com/unsubscribe?token=t1.k1.WyJ1bnN1YiJd.abc-_'],
    ['every escaped character', `&<>"'\`=`],
    ['escapes at both ends', '=a=b='],
    ['markup', '<img src=x onerror=alert(1)> & <b>"Bob"</b>'],
    ['nothing to escape', 'Hi Zoë Ünal 🎧, שלום'],
    ['an empty string', ''],
  ])('escapes %s exactly as Handlebars {{ }} does', (_label, value) => {
    expect(escapeHtml(value)).toBe(Handlebars.escapeExpression(value));
  });

  it('gives the same answer when called again (no state left between calls)', () => {
    const value = 'a=b&c';
    expect(escapeHtml(value)).toBe('a&#x3D;b&amp;c');
    expect(escapeHtml('plain')).toBe('plain');
    expect(escapeHtml(value)).toBe('a&#x3D;b&amp;c');
  });
});
