import { type KeyRing, signToken, TOKEN_TTL_SECONDS } from './tokens.ts';

export interface RecipientLinks {
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
}

/**
 * A signer of one list's unsubscribe (RFC 8058 one-click) and preferences URLs, each carrying a signed
 * token in `?token=`. The token names the subscriber id, never the address. What is the same for every
 * recipient (the base URL, the list) is worked out once; the send path makes one per edition.
 *
 * @example
 * const links = linkSigner({ publicUrl: 'https://news.example.com', ring, listId: 'podcast' });
 * links('s_1', nowSeconds) // { unsubscribeUrl: 'https://news.example.com/unsubscribe?token=t1.k1.…', preferencesUrl: '…' }
 */
export function linkSigner(opts: {
  readonly publicUrl: string;
  readonly ring: KeyRing;
  readonly listId: string;
}): (subscriberId: string, nowSeconds: number) => RecipientLinks {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const unsubscribeBase = `${base}/unsubscribe?token=`;
  const preferencesBase = `${base}/preferences?token=`;
  const { ring, listId } = opts;
  return (subscriberId, nowSeconds) => ({
    unsubscribeUrl:
      unsubscribeBase +
      signToken(
        {
          purpose: 'unsubscribe',
          sub: subscriberId,
          list: listId,
          exp: nowSeconds + TOKEN_TTL_SECONDS.unsubscribe,
        },
        ring,
      ),
    preferencesUrl:
      preferencesBase +
      signToken(
        {
          purpose: 'preferences',
          sub: subscriberId,
          list: listId,
          exp: nowSeconds + TOKEN_TTL_SECONDS.preferences,
        },
        ring,
      ),
  });
}

/**
 * The unsubscribe and preferences URLs of one recipient of one list (linkSigner for a single recipient).
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
}): RecipientLinks {
  return linkSigner(opts)(opts.subscriberId, opts.nowSeconds);
}
