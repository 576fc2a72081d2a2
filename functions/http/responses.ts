import type { RenderedPage } from './pages.ts';
import type { HttpResponse } from './types.ts';

/**
 * Every answer carries the same strict headers: no caching (pages hold tokens), no cookies ever, no
 * referrer (the token must not leak to the next site), and a CSP that allows only the page's own inline
 * stylesheet, https images (the logo) and forms posting back here. Only the embeddable subscribe form may
 * be framed.
 */
export function htmlResponse(
  status: number,
  page: RenderedPage,
  options: {
    styleHash: string;
    /** The page's inline script, when it has one (the subscribe form's time zone). */
    scriptHash?: string;
    frameable?: boolean;
    headers?: Record<string, string>;
  },
): HttpResponse {
  const frameAncestors = options.frameable ? '*' : "'none'";
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src ${options.styleHash};${options.scriptHash ? ` script-src ${options.scriptHash};` : ''} img-src https: data:; form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...(options.frameable ? {} : { 'x-frame-options': 'DENY' }),
    ...options.headers,
  };
  return { status, headers, body: page.html };
}

/** A plain-text answer: what a mail provider's RFC 8058 one-click POST gets. */
export function textResponse(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: `${text}\n`,
  };
}
