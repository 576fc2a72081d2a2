import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpEvent } from './lambda-event.ts';

/**
 * A request as CloudFront forwards it to the pages' Function URL: `undefined` when it does not carry the
 * origin secret in `header` (someone called the Function URL directly), else the event with the viewer's IP
 * (CloudFront-Viewer-Address) as its source IP, so the rate limits count readers, not CloudFront.
 */
export function fromCloudFront(event: HttpEvent, header: string, secret: string): HttpEvent | undefined {
  const sent = headerOf(event, header);
  if (sent === undefined || !sameSecret(sent, secret)) return undefined;
  const viewer = viewerIp(headerOf(event, 'cloudfront-viewer-address'));
  if (!viewer) return event;
  return {
    ...event,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, sourceIp: viewer } },
  } as HttpEvent;
}

function headerOf(event: HttpEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** `203.0.113.7:46532` → `203.0.113.7`; `[2001:db8::1]:46532` or `2001:db8::1:46532` → `2001:db8::1`. */
function viewerIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1];
  const colon = address.lastIndexOf(':');
  return colon > 0 ? address.slice(0, colon) : address;
}
