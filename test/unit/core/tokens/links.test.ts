import { describe, expect, it } from 'vitest';
import { recipientLinks } from '../../../../functions/core/tokens/links.ts';
import { verifyToken } from '../../../../functions/core/tokens/tokens.ts';
import { aKeyRing } from '../../../helpers/factories.ts';

describe('recipientLinks', () => {
  it('gives unsubscribe and preferences URLs whose tokens verify for that subscriber and list only', () => {
    // Prepare
    const ring = aKeyRing();
    const now = 1_800_000_000;
    // Act
    const links = recipientLinks({
      publicUrl: 'https://news.example.com/',
      ring,
      subscriberId: 's_9',
      listId: 'podcast',
      nowSeconds: now,
    });
    // Assess
    const unsub = new URL(links.unsubscribeUrl);
    const prefs = new URL(links.preferencesUrl);
    expect(`${unsub.origin}${unsub.pathname}`).toBe('https://news.example.com/unsubscribe');
    expect(`${prefs.origin}${prefs.pathname}`).toBe('https://news.example.com/preferences');
    const verdict = verifyToken(unsub.searchParams.get('token') ?? '', ring, 'unsubscribe', now);
    expect(verdict).toMatchObject({ ok: true, claims: { sub: 's_9', list: 'podcast' } });
    expect(verifyToken(unsub.searchParams.get('token') ?? '', ring, 'preferences', now)).toMatchObject({
      ok: false,
      reason: 'wrong-purpose',
    });
    expect(verifyToken(prefs.searchParams.get('token') ?? '', ring, 'preferences', now).ok).toBe(true);
  });
});
