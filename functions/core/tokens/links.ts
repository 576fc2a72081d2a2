import { type KeyRing, signToken, TOKEN_TTL_SECONDS } from './tokens.ts';

/**
 * The unsubscribe (RFC 8058 one-click) and preferences URLs of one recipient of one list, each carrying
 * a signed token in `?token=`. The token names the subscriber id, never the address.
 *
 * @example
 * recipientLinks({ publicUrl: 'https://news.example.com', ring, subscriberId: 's_1', listId: 'podcast', nowSeconds })
 * // { unsubscribeUrl: 'https://news.example.com/unsubscribe?token=t1.k1.…', preferencesUrl: '…/preferences?token=…' }
 */
export function recipientLinks(opts: {
  readonly publicUrl: string;
  readonly ring: KeyRing;
  readonly subscriberId: string;
  readonly listId: string;
  readonly nowSeconds: number;
}): { readonly unsubscribeUrl: string; readonly preferencesUrl: string } {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const token = (purpose: 'unsubscribe' | 'preferences') =>
    signToken(
      {
        purpose,
        sub: opts.subscriberId,
        list: opts.listId,
        exp: opts.nowSeconds + TOKEN_TTL_SECONDS[purpose],
      },
      opts.ring,
    );
  return {
    unsubscribeUrl: `${base}/unsubscribe?token=${token('unsubscribe')}`,
    preferencesUrl: `${base}/preferences?token=${token('preferences')}`,
  };
}
